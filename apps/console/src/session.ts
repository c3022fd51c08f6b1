import { createMinshengClient, type MinshengClient, type Schemas } from '@minsheng/client';

/**
 * The signed-in person: the bearer token lives in this module's memory only (never localStorage or a cookie), so
 * closing or reloading the tab signs out, and a script injected into another page cannot read it.
 */
export interface Session {
  readonly token: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly client: MinshengClient;
}

export function openSession(token: string, name: string, roles: readonly string[]): Session {
  const client = createMinshengClient({ baseUrl: window.location.origin });
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
  });
  return { token, name, roles, client };
}

/** A client without a token: the development sign-in and the public catalog. */
export function anonymousClient(): MinshengClient {
  return createMinshengClient({ baseUrl: window.location.origin });
}

export type Problem = Schemas['Problem'];

/** The server's own words for a refusal: its detail (or title), and each field's reason. */
export function problemText(problem: unknown): string {
  if (typeof problem !== 'object' || problem === null) return String(problem);
  const p = problem as Partial<Problem>;
  const fields = (p.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  return [p.detail ?? p.title ?? 'error', ...fields].join(' — ');
}
