import { Module } from '@nestjs/common';
import { PiiModule } from '@minsheng/infra';
import { IdempotencyService } from './idempotency.js';
import { PortalAuthGuard } from './portal-auth.guard.js';
import { PortalKeys } from './portal-keys.js';
import { PortalRateLimiter } from './rate-limiter.js';

const providers = [PortalAuthGuard, PortalKeys, PortalRateLimiter, IdempotencyService];

/** Portal clients: API-key authentication, the per-portal rate limit and idempotent writes. */
@Module({ imports: [PiiModule], providers, exports: providers })
export class PortalsModule {}
