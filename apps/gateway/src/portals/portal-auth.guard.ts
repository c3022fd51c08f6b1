import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { apiKeyPrefix } from './api-key.js';
import { type PortalRequest } from './portal-identity.js';
import { PortalKeys, unauthenticated } from './portal-keys.js';
import { PortalRateLimiter } from './rate-limiter.js';

/**
 * Authenticates a portal by its API key (`x-api-key: msk_…` or `Authorization: ApiKey msk_…`), then counts the
 * request against the portal's rate limit. Every failure is the same 401, so a caller learns nothing about which
 * prefixes exist.
 */
@Injectable()
export class PortalAuthGuard implements CanActivate {
  constructor(
    private readonly keys: PortalKeys,
    private readonly rateLimiter: PortalRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PortalRequest>();
    const key = presentedKey(request);
    const prefix = key === undefined ? undefined : apiKeyPrefix(key);
    if (key === undefined || prefix === undefined) throw unauthenticated();
    const portal = await this.keys.verify(key, prefix);
    await this.rateLimiter.consume(portal.id, portal.rateLimitPerMinute);
    request.portal = portal;
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
