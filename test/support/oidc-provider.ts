import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** The staff claims the gateway requires of a token (apps/gateway/src/auth/token-verifier.ts). */
export interface ProviderIdentity {
  readonly sub: string;
  readonly name: string;
  readonly department: string;
  readonly level: string;
  readonly divisions: readonly string[];
  readonly roles: readonly string[];
}

interface Grant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly nonce: string | null;
  readonly identity: ProviderIdentity;
}

export interface TestOidcProvider {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Codes redeemed at the token endpoint, and refused redemptions (a wrong verifier, a code used twice). */
  readonly redeemed: number;
  readonly refused: string[];
  close(): Promise<void>;
}

/**
 * A small, real OpenID Connect authorization server for the console's browser test: discovery, a sign-in page with
 * one button per identity, the authorization code grant with PKCE (S256 only; the verifier is checked), RS256 ID
 * and access tokens from a key published at its JWKS (which the gateway under test trusts). Codes are single use and
 * bound to the client, the redirect URI and the challenge. Not a product: no consent, no refresh tokens.
 */
export async function startOidcProvider(options: {
  clientId: string;
  redirectUri: string;
  audience: string;
  identities: readonly ProviderIdentity[];
}): Promise<TestOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, Grant>();
  const state = { redeemed: 0, refused: [] as string[] };
  let issuer = '';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', issuer);
    // The console reads discovery and redeems the code from its own origin.
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', 'content-type, accept, dpop');
    if (request.method === 'OPTIONS') return send(response, 204, '');
    if (url.pathname === '/.well-known/openid-configuration') {
      return sendJson(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['openid', 'profile'],
      });
    }
    if (url.pathname === '/jwks') return sendJson(response, 200, { keys: [jwk] });
    if (url.pathname === '/authorize' && request.method === 'GET') return authorizePage(url, response);
    if (url.pathname === '/authorize' && request.method === 'POST') {
      const form = new URLSearchParams(await body(request));
      return authorize(form, response);
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      return token(new URLSearchParams(await body(request)), response);
    }
    return send(response, 404, 'not found');
  };

  /** The request as the console sent it, checked; the page offers one sign-in button per identity. */
  const authorizePage = (url: URL, response: ServerResponse) => {
    const q = url.searchParams;
    const problem = authorizationProblem(q);
    if (problem) return send(response, 400, problem);
    const hidden = ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge']
      .map((name) => `<input type="hidden" name="${name}" value="${escape(q.get(name) ?? '')}">`)
      .join('');
    const buttons = options.identities
      .map((i) => `<button type="submit" name="sub" value="${escape(i.sub)}">${escape(i.name)}</button>`)
      .join('');
    return send(
      response,
      200,
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证</title></head>` +
        `<body><main><h1>统一身份认证</h1><form method="post" action="/authorize">${hidden}${buttons}</form></main></body></html>`,
      'text/html; charset=utf-8',
    );
  };

  const authorizationProblem = (q: URLSearchParams): string | null => {
    if (q.get('client_id') !== options.clientId) return 'unknown client';
    if (q.get('redirect_uri') !== options.redirectUri) return 'redirect_uri not registered';
    if (q.has('response_type') && q.get('response_type') !== 'code') return 'response_type must be code';
    if (q.has('code_challenge_method') && q.get('code_challenge_method') !== 'S256') return 'PKCE S256 required';
    if (!q.get('code_challenge') || !q.get('state')) return 'code_challenge and state are required';
    return null;
  };

  const authorize = (form: URLSearchParams, response: ServerResponse) => {
    const problem = authorizationProblem(form);
    const identity = options.identities.find((i) => i.sub === form.get('sub'));
    if (problem || !identity) return send(response, 400, problem ?? 'unknown identity');
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId: options.clientId,
      redirectUri: options.redirectUri,
      challenge: form.get('code_challenge')!,
      nonce: form.get('nonce') || null,
      identity,
    });
    const back = new URL(options.redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', form.get('state')!);
    response.setHeader('location', back.href);
    return send(response, 302, '');
  };

  const token = async (form: URLSearchParams, response: ServerResponse) => {
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const refusal =
      form.get('grant_type') !== 'authorization_code'
        ? 'unsupported_grant_type'
        : !grant
          ? 'invalid_grant: unknown or used code'
          : form.get('client_id') !== grant.clientId || form.get('redirect_uri') !== grant.redirectUri
            ? 'invalid_grant: client or redirect_uri'
            : createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
              ? 'invalid_grant: PKCE verifier'
              : null;
    if (refusal || !grant) {
      state.refused.push(refusal ?? 'invalid_grant');
      return sendJson(response, 400, { error: (refusal ?? 'invalid_grant').split(':')[0] });
    }
    state.redeemed += 1;
    const { sub, ...claims } = grant.identity;
    const sign = (payload: Record<string, unknown>, audience: string) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(issuer)
        .setSubject(sub)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey as CryptoKey);
    return sendJson(response, 200, {
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile',
      access_token: await sign({ ...claims }, options.audience),
      id_token: await sign({ name: claims.name, ...(grant.nonce ? { nonce: grant.nonce } : {}) }, grant.clientId),
    });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    get redeemed() {
      return state.redeemed;
    },
    refused: state.refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(text);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, JSON.stringify(value), 'application/json');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
