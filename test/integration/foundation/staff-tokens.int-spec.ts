import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';
import { createGateway } from '../../../apps/gateway/src/gateway.js';
import { CLOCK_SKEW_SECONDS } from '../../../apps/gateway/src/auth/token-verifier.js';
import { getJson, listen } from '../../support/http.js';
import { TIANSHAN_STREET } from '../../support/given.js';
import { createTestEnvironment, type TestEnvironment } from '../../support/test-environment.js';

const HOUR = 3600;

/**
 * Staff bearer tokens must carry `exp` and `iat`, live at most JWT_MAX_LIFETIME_SECONDS, and not be issued in the
 * future. Token time is the wall clock on both sides (the signer's and the gateway's), as in production.
 */
describe('staff tokens: exp and iat required, a bounded lifetime, not issued in the future', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    env = await createTestEnvironment('staff tokens');
    app = await createGateway(env.config);
    base = await listen(app);
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  /** A reviewer token with the given times (seconds from now; `undefined`: the claim is left out). */
  async function token(times: { iat?: number; exp?: number }, name = 'r'): Promise<string> {
    // Token time is the wall clock, as the gateway's verification reads it.
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      name,
      department: 'civil-affairs',
      level: 'street',
      divisions: [TIANSHAN_STREET],
      roles: ['reviewer'],
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('r')
      .setIssuer(env.config.jwt.issuer)
      .setAudience(env.config.jwt.audience);
    if (times.iat !== undefined) jwt.setIssuedAt(now + times.iat);
    if (times.exp !== undefined) jwt.setExpirationTime(now + times.exp);
    return jwt.sign(new TextEncoder().encode(env.config.jwt.secret));
  }

  const inbox = async (bearer: string) =>
    getJson(`${base}/v1/tasks`, { headers: { authorization: `Bearer ${bearer}` } });

  it('accepts a token issued now for 8 hours, and one issued within the clock skew ahead', async () => {
    expect((await inbox(await token({ iat: 0, exp: 8 * HOUR }))).status).toBe(200);
    expect((await inbox(await token({ iat: CLOCK_SKEW_SECONDS / 2, exp: 8 * HOUR }))).status).toBe(200);
  });

  it.each([
    { name: 'without exp', times: { iat: 0 }, code: 'AUTH.TOKEN_CLAIM_MISSING' },
    { name: 'without iat', times: { exp: HOUR }, code: 'AUTH.TOKEN_CLAIM_MISSING' },
    {
      name: 'with exp a century away',
      times: { iat: 0, exp: 100 * 365 * 24 * HOUR },
      code: 'AUTH.TOKEN_LIFETIME_TOO_LONG',
    },
    {
      name: 'living 12 hours and a minute',
      times: { iat: 0, exp: 12 * HOUR + 60 },
      code: 'AUTH.TOKEN_LIFETIME_TOO_LONG',
    },
    { name: 'issued an hour in the future', times: { iat: HOUR, exp: 2 * HOUR }, code: 'AUTH.TOKEN_ISSUED_IN_FUTURE' },
    {
      name: 'issued 13 hours ago, not yet expired',
      times: { iat: -13 * HOUR, exp: HOUR },
      code: 'AUTH.TOKEN_LIFETIME_TOO_LONG',
    },
    { name: 'expired', times: { iat: -2 * HOUR, exp: -HOUR }, code: 'AUTH.TOKEN_EXPIRED' },
  ])('refuses a token $name with 401 $code', async ({ times, code }) => {
    const response = await inbox(await token(times));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe(code);
  });

  it('refuses a signed token whose name PostgreSQL could not store (a NUL)', async () => {
    const response = await inbox(await token({ iat: 0, exp: HOUR }, 'r\u0000'));
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('AUTH.UNAUTHENTICATED');
    expect(response.body.detail).toContain('name');
  });

  it('takes the maximum lifetime from JWT_MAX_LIFETIME_SECONDS', async () => {
    const strict = await createGateway(env.configWith({ JWT_MAX_LIFETIME_SECONDS: String(HOUR) }));
    try {
      const strictBase = await listen(strict);
      const twoHours = await token({ iat: 0, exp: 2 * HOUR });
      const refused = await getJson(`${strictBase}/v1/tasks`, { headers: { authorization: `Bearer ${twoHours}` } });
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('AUTH.TOKEN_LIFETIME_TOO_LONG');
      expect((await inbox(twoHours)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
