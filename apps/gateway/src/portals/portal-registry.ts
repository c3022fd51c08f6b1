import { type PiiCipher, type Queryable } from '@minsheng/infra';
import { generateApiKey } from './api-key.js';

export interface NewPortal {
  readonly name: string;
  readonly allowedItems: readonly string[];
  readonly rateLimitPerMinute: number;
  readonly webhookUrl?: string | null;
}

export interface CreatedPortal {
  readonly portalId: string;
  /** The whole key: shown once, never stored. */
  readonly apiKey: string;
  readonly prefix: string;
}

/**
 * Registers a portal with its first API key (used by `scripts/create-portal.ts`, the development start-up and the
 * tests). Plain SQL on any queryable, so it runs without Nest.
 */
export async function createPortal(q: Queryable, cipher: PiiCipher, portal: NewPortal): Promise<CreatedPortal> {
  const rows = (await q.query(
    `INSERT INTO portals (name, allowed_items, rate_limit_per_minute, webhook_url) VALUES ($1, $2, $3, $4) RETURNING id`,
    [portal.name, [...portal.allowedItems], portal.rateLimitPerMinute, portal.webhookUrl ?? null],
  )) as { id: string }[];
  const portalId = rows[0]!.id;
  const { apiKey, prefix } = await issueApiKey(q, cipher, portalId);
  return { portalId, apiKey, prefix };
}

/** A new key for a portal (keys rotate by issuing a new one, then revoking the old). */
export async function issueApiKey(
  q: Queryable,
  cipher: PiiCipher,
  portalId: string,
): Promise<{ apiKey: string; prefix: string }> {
  const { key, prefix } = generateApiKey();
  await q.query(`INSERT INTO portal_api_keys (portal_id, prefix, key_hash) VALUES ($1, $2, $3)`, [
    portalId,
    prefix,
    cipher.apiKeyHash(key),
  ]);
  return { apiKey: key, prefix };
}

/** Revokes a key by its public prefix; answers whether a live key was revoked. */
export async function revokeApiKey(q: Queryable, prefix: string): Promise<boolean> {
  const result = (await q.query(
    `UPDATE portal_api_keys SET revoked_at = now() WHERE prefix = $1 AND revoked_at IS NULL RETURNING id`,
    [prefix],
  )) as unknown;
  // TypeORM answers [rows, count] for UPDATE … RETURNING; a pg client answers a result object with rowCount.
  if (Array.isArray(result)) return (Array.isArray(result[0]) ? (result[0] as unknown[]).length : result.length) > 0;
  return ((result as { rowCount?: number | null }).rowCount ?? 0) > 0;
}
