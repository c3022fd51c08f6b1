import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { DomainError } from '@minsheng/domain';

/** The authenticated portal of a request (set by `PortalAuthGuard`). */
export interface PortalIdentity {
  readonly id: string;
  readonly name: string;
  readonly allowedItems: ReadonlySet<string>;
  readonly rateLimitPerMinute: number;
  readonly keyPrefix: string;
}

export type PortalRequest = FastifyRequest & { portal?: PortalIdentity };

/** The portal calling a route guarded by `PortalAuthGuard`. */
export const CurrentPortal = createParamDecorator((_: unknown, context: ExecutionContext): PortalIdentity => {
  const portal = context.switchToHttp().getRequest<PortalRequest>().portal;
  if (!portal) throw new DomainError('AUTH.UNAUTHENTICATED', 'no authenticated portal on this request');
  return portal;
});

/** `portal:<id>`, the actor of everything a portal does to a case. */
export function portalActor(portal: PortalIdentity): string {
  return `portal:${portal.id}`;
}
