import { randomBytes } from 'node:crypto';

/**
 * Portal API keys: `msk_<prefix>_<secret>`. The 12-hex-digit prefix is public and stored, so a key is found by
 * one indexed lookup; the 256-bit secret is shown once and stored only inside the key's hash.
 */
const KEY_PATTERN = /^msk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  readonly key: string;
  readonly prefix: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(6).toString('hex');
  return { prefix, key: `msk_${prefix}_${randomBytes(32).toString('base64url')}` };
}

/** The prefix of a well-formed key, or undefined. */
export function apiKeyPrefix(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}
