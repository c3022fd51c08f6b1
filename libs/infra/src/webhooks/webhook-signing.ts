import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** The purpose webhook secrets are encrypted under at rest (the PII cipher's associated data). */
export const WEBHOOK_SECRET_PURPOSE = 'webhook-secret';

/** A new signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` header: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for each secret, separated by
 * spaces (during a rotation's overlap both the new and the old secret sign, and a receiver accepts either). The
 * timestamp is the business clock's, in whole seconds. Signed by the `standardwebhooks` library, the reference
 * implementation of the scheme, so the bytes signed and the encoding are the specification's.
 */
export function webhookSignature(secrets: readonly string[], id: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' ');
}
