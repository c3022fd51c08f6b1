import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type FastifyRequest } from 'fastify';
import { DomainError } from '@minsheng/domain';
import { type StaffIdentity, type StaffRole } from './staff-identity.js';
import { TokenVerifier } from './token-verifier.js';

export const ROLES_KEY = 'minsheng:staff-roles';

/** Route (or controller) needs a staff token carrying one of these roles. */
export const StaffRoles = (...roles: StaffRole[]) => SetMetadata(ROLES_KEY, roles);

type StaffRequest = FastifyRequest & { staff?: StaffIdentity };

/** Verifies the bearer token and checks the role; 401 without a valid token, 403 without the role. */
@Injectable()
export class StaffAuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      throw new DomainError('AUTH.UNAUTHENTICATED', 'a staff bearer token is required');
    }
    const staff = await this.verifier.verify(header.slice('Bearer '.length).trim());
    if (!roles.some((role) => staff.roles.includes(role))) {
      throw new DomainError('AUTH.FORBIDDEN', `this action needs one of the roles: ${roles.join(', ')}`);
    }
    request.staff = staff;
    return true;
  }
}

/** The verified caller of a route guarded by `StaffAuthGuard`. */
export const CurrentStaff = createParamDecorator((_: unknown, context: ExecutionContext): StaffIdentity => {
  const staff = context.switchToHttp().getRequest<StaffRequest>().staff;
  if (!staff) throw new DomainError('AUTH.UNAUTHENTICATED', 'no verified staff identity on this request');
  return staff;
});
