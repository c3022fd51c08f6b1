import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { z } from 'zod';
import { DEPARTMENTS, DomainError, LEVELS } from '@minsheng/domain';
import { APP_CONFIG, type AppConfig } from '@minsheng/infra';
import { STAFF_ROLES, type StaffIdentity } from './staff-identity.js';

const claims = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  department: z.enum(DEPARTMENTS.map((d) => d.code) as [string, ...string[]]),
  level: z.enum(LEVELS),
  divisions: z.array(z.string().regex(/^\d{6}(\d{3}|\d{6})?$/)).min(1),
  roles: z.array(z.enum(STAFF_ROLES)).min(1),
});

/**
 * Verifies staff bearer tokens: HS256 with a shared secret in development, a JWKS URL (the identity provider's
 * keys) in production. Issuer, audience and expiry are always checked.
 */
@Injectable()
export class TokenVerifier {
  private readonly key: Uint8Array | ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = config.jwt.jwksUrl
      ? createRemoteJWKSet(new URL(config.jwt.jwksUrl))
      : new TextEncoder().encode(config.jwt.secret);
  }

  async verify(token: string): Promise<StaffIdentity> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.jwt.issuer, audience: this.config.jwt.audience };
      payload =
        this.key instanceof Uint8Array
          ? (await jwtVerify(token, this.key, { ...options, algorithms: ['HS256'] })).payload
          : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      throw new DomainError('AUTH.UNAUTHENTICATED', 'the bearer token is not valid', {}, { cause: error });
    }
    const parsed = claims.safeParse(payload);
    if (!parsed.success) {
      throw new DomainError(
        'AUTH.UNAUTHENTICATED',
        `the token lacks staff claims: ${parsed.error.issues[0]?.path.join('.')}`,
      );
    }
    const c = parsed.data;
    return {
      subject: c.sub,
      name: c.name,
      department: c.department as StaffIdentity['department'],
      level: c.level,
      divisions: c.divisions,
      roles: c.roles,
    };
  }
}
