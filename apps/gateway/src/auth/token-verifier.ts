import { webcrypto } from 'node:crypto';
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
  private readonly remote?: ReturnType<typeof createRemoteJWKSet>;
  /** The HS256 secret imported once: jose would import raw bytes again on every request (9 % of the gateway). */
  private readonly secret?: Promise<webcrypto.CryptoKey>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.jwt.jwksUrl) {
      this.remote = createRemoteJWKSet(new URL(config.jwt.jwksUrl));
    } else {
      this.secret = webcrypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(config.jwt.secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      );
    }
  }

  async verify(token: string): Promise<StaffIdentity> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.jwt.issuer, audience: this.config.jwt.audience };
      payload = this.remote
        ? (await jwtVerify(token, this.remote, options)).payload
        : (await jwtVerify(token, await this.secret!, { ...options, algorithms: ['HS256'] })).payload;
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
