import * as oauth from 'oauth4webapi';
import { openSession, type Session } from './session';

/** The console's OpenID Connect client as the gateway describes it (`GET /v1/console/sign-in`). */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
}

/**
 * What must survive the trip to the identity provider and back: the PKCE verifier, the state and the nonce. Kept in
 * the tab's sessionStorage for that trip only and removed when the provider answers; the tokens themselves never
 * leave the page's memory (docs/console.md "Signing in").
 */
const PENDING_KEY = 'minsheng.oidc.pending';
interface Pending {
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
}

/** The console's address, registered at the provider as the client's redirect URI. */
function redirectUri(): string {
  return `${window.location.origin}/console/`;
}

/** A provider on this machine (a developer's or a test's) may speak plain HTTP; any other must use HTTPS. */
function requestOptions(issuer: URL) {
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return { [oauth.allowInsecureRequests]: loopback && issuer.protocol === 'http:' };
}

async function discover(settings: OidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  const answer = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(issuer) });
  return oauth.processDiscoveryResponse(issuer, answer);
}

/** Sends the browser to the provider's sign-in: authorization code with PKCE (S256), a fresh state and nonce. */
export async function beginOidcSignIn(settings: OidcSettings): Promise<void> {
  const as = await discover(settings);
  if (!as.authorization_endpoint) throw new Error('the identity provider names no authorization endpoint');
  const pending: Pending = {
    codeVerifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', settings.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  window.location.assign(url.href);
}

/** Whether this load is the provider's answer (`?code=…&state=…`, or `?error=…`). */
export function isOidcCallback(): boolean {
  const query = new URLSearchParams(window.location.search);
  return query.has('state') && (query.has('code') || query.has('error'));
}

/** A JWT's claims, unverified: only to label the page; the gateway verifies every token it is sent. */
function claimsOf(jwt: string): Record<string, unknown> {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/**
 * Completes the sign-in on the provider's answer: the state must be the one sent, the code is redeemed with the PKCE
 * verifier, the ID token's nonce must be the one sent (oauth4webapi checks issuer, audience, expiry and nonce). The
 * access token (a JWT the gateway verifies against the provider's JWKS) becomes the session's bearer token.
 */
export function completeOidcSignIn(settings: OidcSettings): Promise<Session> {
  // Once per load: the code is single use, and React may run the effect that calls this twice (StrictMode).
  completing ??= redeem(settings);
  return completing;
}
let completing: Promise<Session> | undefined;

async function redeem(settings: OidcSettings): Promise<Session> {
  const raw = window.sessionStorage.getItem(PENDING_KEY);
  window.sessionStorage.removeItem(PENDING_KEY);
  const current = new URL(window.location.href);
  // The code and state leave the address bar at once: a reload or a shared link never replays them.
  window.history.replaceState(null, '', `${current.pathname}#/inbox`);
  if (raw === null) throw new Error('no sign-in was started in this tab');
  const pending = JSON.parse(raw) as Pending;
  const as = await discover(settings);
  const client: oauth.Client = { client_id: settings.clientId };
  const params = oauth.validateAuthResponse(as, client, current, pending.state);
  const answer = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.codeVerifier,
    requestOptions(new URL(settings.issuer)),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, answer, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const idToken = oauth.getValidatedIdTokenClaims(result)!;
  const access = claimsOf(result.access_token);
  const roles = Array.isArray(access['roles']) ? access['roles'].map(String) : [];
  const name = typeof idToken['name'] === 'string' ? idToken['name'] : idToken.sub;
  return openSession(result.access_token, name, roles);
}
