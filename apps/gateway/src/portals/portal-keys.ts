import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import { PiiCipher } from '@minsheng/infra';
import { type PortalIdentity } from './portal-identity.js';

interface KeyRow {
  portal_id: string;
  name: string;
  allowed_items: string[];
  rate_limit_per_minute: number;
  key_hash: string;
}

/**
 * How long a verified key is trusted without asking the database again. Portal reads and case commands see a
 * revocation (or a changed item list or rate limit) within this time; intake re-checks the key inside the
 * statement that opens the case, so a revoked key opens no case even while it is remembered here.
 */
export const VERIFIED_KEY_TTL_MS = 10_000;
/** A handful of portals use the gateway; the bound only stops a flood of distinct valid keys from growing it. */
const MAX_REMEMBERED_KEYS = 1_000;

/**
 * Verifies portal API keys against `portal_api_keys` and remembers the verified ones for `VERIFIED_KEY_TTL_MS`,
 * keyed by the key's HMAC (never the key itself), so the lookup is not paid on every request. A failed check is
 * never remembered. One instance per process (each controller's guard gets its own guard instance, not its own
 * cache).
 */
@Injectable()
export class PortalKeys {
  private readonly verified = new Map<string, { readonly portal: PortalIdentity; readonly until: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
  ) {}

  /** @throws DomainError `AUTH.UNAUTHENTICATED` for an unknown, wrong, revoked or disabled key. */
  async verify(key: string, prefix: string): Promise<PortalIdentity> {
    const hash = this.cipher.apiKeyHash(key);
    // eslint-disable-next-line no-restricted-syntax -- the verified-key cache age is infrastructure time
    const now = Date.now();
    const remembered = this.verified.get(hash);
    if (remembered !== undefined && remembered.until > now) return remembered.portal;
    const rows = (await this.dataSource.query(
      `SELECT k.portal_id, p.name, p.allowed_items, p.rate_limit_per_minute, k.key_hash
         FROM portal_api_keys k JOIN portals p ON p.id = k.portal_id
        WHERE k.prefix = $1 AND k.revoked_at IS NULL AND p.disabled_at IS NULL`,
      [prefix],
    )) as KeyRow[];
    const row = rows[0];
    if (row === undefined || !PiiCipher.sameHash(row.key_hash, hash)) {
      this.verified.delete(hash);
      throw unauthenticated();
    }
    const portal: PortalIdentity = {
      id: row.portal_id,
      name: row.name,
      allowedItems: new Set(row.allowed_items),
      rateLimitPerMinute: row.rate_limit_per_minute,
      keyPrefix: prefix,
    };
    if (this.verified.size >= MAX_REMEMBERED_KEYS) this.verified.clear();
    this.verified.set(hash, { portal, until: now + VERIFIED_KEY_TTL_MS });
    return portal;
  }

  /** Forgets the key with this prefix, so its next use asks the database (a write found it revoked). */
  forget(prefix: string): void {
    for (const [hash, entry] of this.verified) if (entry.portal.keyPrefix === prefix) this.verified.delete(hash);
  }
}

/** The one answer to every failed portal authentication: a caller learns nothing about which prefixes exist. */
export function unauthenticated(): DomainError {
  return new DomainError('AUTH.UNAUTHENTICATED', 'a valid portal API key is required (x-api-key header)');
}
