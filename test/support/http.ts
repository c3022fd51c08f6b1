import { type INestApplication } from '@nestjs/common';
import { type AddressInfo } from 'node:net';
import { documentedFetch } from './api-contract.js';

/** Starts a Nest HTTP app on a free port and returns its base URL. */
export async function listen(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/** A request whose answer is parsed and checked against openapi.json (docs/api.md "The API contract"). */
export async function getJson(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await documentedFetch(fetch)(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, headers: response.headers, body };
}

/** A staff call with the token's headers and, when there is one, a JSON body; answered as `getJson` answers. */
export function staffRequest(
  base: string,
  method: string,
  path: string,
  token: { readonly headers: Record<string, string> },
  body?: unknown,
): ReturnType<typeof getJson> {
  return getJson(`${base}${path}`, {
    method,
    headers: { ...token.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
