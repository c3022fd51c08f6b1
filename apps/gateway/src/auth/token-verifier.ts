import { webcrypto } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { z } from 'zod';
import { DEPARTMENTS, DomainError, LEVELS, type ErrorCode } from '@minsheng/domain';
import { APP_CONFIG, type AppConfig } from '@minsheng/infra';
import { unacceptableValue } from '../problems/input-guard.js';
import { STAFF_ROLES, type StaffIdentity } from './staff-identity.js';

const claims = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  department: z.enum(DEPARTMENTS.map((d) => d.code) as [string, ...string[]]),
  level: z.enum(LEVELS),
  divisions: z.array(z.string().regex(/^\d{6}(\d{3}|\d{6})?$/)).min(1),
  roles: z.array(z.enum(STAFF_ROLES)).min(1),
});

/** How far the issuer's clock may run ahead of ours: a token issued up to a minute "in the future" is accepted. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * Why a token was refused, each a 401 with its own code: a stolen token must expire soon, so `exp` and `iat` are
 * required and `exp` may lie at most `JWT_MAX_LIFETIME_SECONDS` after `iat` (docs/input.md).
 */
function refusal(error: unknown): DomainError {
  const refuse = (code: ErrorCode, message: string) => new DomainError(code, message, {}, { cause: error });
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat'
      ? refuse('AUTH.TOKEN_LIFETIME_TOO_LONG', 'the bearer token was issued too long ago')
      : refuse('AUTH.TOKEN_EXPIRED', 'the bearer token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'missing') {
    return refuse('AUTH.TOKEN_CLAIM_MISSING', `the bearer token has no "${error.claim}" claim`);
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iat') {
    return refuse('AUTH.TOKEN_ISSUED_IN_FUTURE', 'the bearer token is issued in the future');
  }
  return refuse('AUTH.UNAUTHENTICATED', 'the bearer token is not valid');
}

/**
 * Verifies staff bearer tokens: HS256 with a shared secret in development, a JWKS URL (the identity provider's
 * keys) in production. Issuer, audience, `exp` and `iat` are always checked, against the wall clock (jose reads
 * it): token validity is infrastructure time, the issuer's and ours, never the business Clock, which tests and
 * development may move.
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
      const maxLifetime = this.config.jwt.maxLifetimeSeconds;
      const options = {
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
        requiredClaims: ['exp', 'iat'],
        // `iat` at most this old, and (jose checks it with maxTokenAge) not ahead of us beyond the skew.
        maxTokenAge: maxLifetime,
        clockTolerance: CLOCK_SKEW_SECONDS,
      };
      payload = this.remote
        ? (await jwtVerify(token, this.remote, options)).payload
        : (await jwtVerify(token, await this.secret!, { ...options, algorithms: ['HS256'] })).payload;
      // A long-lived token is refused even before it expires: `exp` may lie at most the configured lifetime after `iat`.
      if (payload.exp! - payload.iat! > maxLifetime) {
        throw new DomainError('AUTH.TOKEN_LIFETIME_TOO_LONG', `the bearer token lives longer than ${maxLifetime} s`);
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw refusal(error);
    }
    // The subject and name are written to events and the audit log: text PostgreSQL cannot store is refused here.
    const unstorable = unacceptableValue(payload);
    if (unstorable) {
      throw new DomainError('AUTH.UNAUTHENTICATED', `the token's ${unstorable.field} claim ${unstorable.message}`);
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
