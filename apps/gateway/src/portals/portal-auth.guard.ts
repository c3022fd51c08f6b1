import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@minsheng/domain';
import { PiiCipher } from '@minsheng/infra';
import { apiKeyPrefix } from './api-key.js';
import { type PortalRequest } from './portal-identity.js';
import { PortalRateLimiter } from './rate-limiter.js';

interface KeyRow {
  portal_id: string;
  name: string;
  allowed_items: string[];
  rate_limit_per_minute: number;
  key_hash: string;
}

/**
 * Authenticates a portal by its API key (`x-api-key: msk_…` or `Authorization: ApiKey msk_…`), then counts the
 * request against the portal's rate limit. Every failure is the same 401, so a caller learns nothing about which
 * prefixes exist.
 */
@Injectable()
export class PortalAuthGuard implements CanActivate {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PiiCipher,
    private readonly rateLimiter: PortalRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PortalRequest>();
    const key = presentedKey(request);
    const prefix = key === undefined ? undefined : apiKeyPrefix(key);
    if (key === undefined || prefix === undefined) throw unauthenticated();
    const rows = (await this.dataSource.query(
      `SELECT k.portal_id, p.name, p.allowed_items, p.rate_limit_per_minute, k.key_hash
         FROM portal_api_keys k JOIN portals p ON p.id = k.portal_id
        WHERE k.prefix = $1 AND k.revoked_at IS NULL AND p.disabled_at IS NULL`,
      [prefix],
    )) as KeyRow[];
    const row = rows[0];
    if (row === undefined || !PiiCipher.sameHash(row.key_hash, this.cipher.apiKeyHash(key))) throw unauthenticated();
    await this.rateLimiter.consume(row.portal_id, row.rate_limit_per_minute);
    request.portal = {
      id: row.portal_id,
      name: row.name,
      allowedItems: new Set(row.allowed_items),
      rateLimitPerMinute: row.rate_limit_per_minute,
      keyPrefix: prefix,
    };
    return true;
  }
}

function presentedKey(request: PortalRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header.trim();
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('ApiKey ')) return authorization.slice('ApiKey '.length).trim();
  return undefined;
}

function unauthenticated(): DomainError {
  return new DomainError('AUTH.UNAUTHENTICATED', 'a valid portal API key is required (x-api-key header)');
}
