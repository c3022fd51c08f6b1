import { decodeJwt } from 'jose';
import { DomainError } from '@minsheng/domain';
import { loadConfig } from '@minsheng/infra';
import { DEV_IDENTITIES, DevSignInController } from './dev-sign-in.js';
import { TokenVerifier } from './token-verifier.js';

const PRODUCTION_KEYS = {
  PII_ENCRYPTION_KEY: 'cHJvZHVjdGlvbi1rZXktMzItYnl0ZXMtbG9uZy1vay4=',
  PII_HASH_KEY: 'cHJvZHVjdGlvbi1oYXNoLWtleS0zMi1ieXRlcy1vay4=',
};

async function refusal(action: () => unknown): Promise<string | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
}

describe('the development sign-in (docs/console.md)', () => {
  it('mints, for each sample identity, a token the gateway itself accepts', async () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    const controller = new DevSignInController(config);
    const verifier = new TokenVerifier(config);
    expect(controller.identities().items.map((i) => i.key)).toEqual(DEV_IDENTITIES.map((i) => i.key));
    for (const identity of DEV_IDENTITIES) {
      const { token } = await controller.signIn({ identity: identity.key });
      const staff = await verifier.verify(token);
      expect([staff.subject, staff.level, staff.divisions, staff.roles]).toEqual([
        identity.sub,
        identity.level,
        [...identity.divisions],
        [...identity.roles],
      ]);
      const { exp, iat } = decodeJwt(token);
      expect(exp! - iat!).toBe(8 * 3_600);
    }
  });

  it('refuses an identity that is not listed, naming the field', async () => {
    const controller = new DevSignInController(loadConfig({ NODE_ENV: 'development' }));
    await expect(refusal(() => controller.signIn({ identity: 'root' }))).resolves.toBe('VALIDATION.FAILED');
  });

  it('is off in production and wherever tokens come from an identity provider', async () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-enough-length-0123456789',
      ...PRODUCTION_KEYS,
    });
    const identityProvider = loadConfig({
      NODE_ENV: 'development',
      JWT_JWKS_URL: 'https://idp.example.gov.cn/.well-known/jwks.json',
    });
    for (const config of [production, identityProvider]) {
      const controller = new DevSignInController(config);
      await expect(refusal(() => controller.identities())).resolves.toBe('AUTH.DEV_SIGN_IN_DISABLED');
      await expect(refusal(() => controller.signIn({ identity: 'operator' }))).resolves.toBe(
        'AUTH.DEV_SIGN_IN_DISABLED',
      );
    }
  });
});
