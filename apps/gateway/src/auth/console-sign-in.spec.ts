import { loadConfig } from '@minsheng/infra';
import { consoleCsp } from '../console/console-mount.js';
import { consoleSignIn } from './console-sign-in.js';

const PRODUCTION_KEYS = {
  NODE_ENV: 'production',
  PII_ENCRYPTION_KEY: 'cHJvZHVjdGlvbi1rZXktMzItYnl0ZXMtbG9uZy1vay4=',
  PII_HASH_KEY: 'cHJvZHVjdGlvbi1oYXNoLWtleS0zMi1ieXRlcy1vay4=',
};
const IDP = {
  JWT_JWKS_URL: 'https://idp.example.gov.cn/oidc/jwks',
  JWT_ISSUER: 'https://idp.example.gov.cn/oidc',
};

describe('the console sign-in the gateway offers', () => {
  it.each([
    ['a developer machine', {}, { mode: 'development' }],
    [
      'production with an identity provider and a client',
      { ...PRODUCTION_KEYS, ...IDP, OIDC_CLIENT_ID: 'console' },
      {
        mode: 'oidc',
        issuer: 'https://idp.example.gov.cn/oidc',
        clientId: 'console',
        scope: 'openid profile',
      },
    ],
    ['production with an identity provider but no client', { ...PRODUCTION_KEYS, ...IDP }, { mode: 'none' }],
    ['development whose tokens come from a provider', { ...IDP }, { mode: 'none' }],
    [
      'a custom scope',
      { ...IDP, OIDC_CLIENT_ID: 'c', OIDC_SCOPE: 'openid profile staff' },
      {
        mode: 'oidc',
        issuer: 'https://idp.example.gov.cn/oidc',
        clientId: 'c',
        scope: 'openid profile staff',
      },
    ],
  ])('on %s', (_where, env, expected) => {
    expect(consoleSignIn(loadConfig(env))).toEqual(expected);
  });

  it('lets the console fetch from the issuer’s origin only, and from nowhere else without one', () => {
    expect(consoleCsp(null)).toContain("connect-src 'self';");
    const withIssuer = consoleCsp('https://idp.example.gov.cn/oidc');
    expect(withIssuer).toContain("connect-src 'self' https://idp.example.gov.cn;");
    expect(withIssuer).toContain("script-src 'self';");
    expect(withIssuer).toContain("form-action 'self';");
  });
});
