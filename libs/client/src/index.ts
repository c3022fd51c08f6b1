import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './api.js';

/**
 * The typed client of the minsheng HTTP API, for portals, the console and the end-to-end tests: paths, parameters,
 * bodies and answers are the types `openapi-typescript` generates from the committed `openapi.json`
 * (`npm run openapi`), so a call that no longer matches the contract fails to compile (docs/api.md).
 */
export type MinshengClient = Client<paths>;
export type { components, paths };
/** The named schemas of the document: `Schemas['Case']`, `Schemas['Problem']`, … */
export type Schemas = components['schemas'];

export function createMinshengClient(options: ClientOptions): MinshengClient {
  return createClient<paths>(options);
}
