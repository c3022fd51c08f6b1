import { documentedFetch } from './api-contract.js';

// Every answer an integration or end-to-end test receives from a documented operation is checked against
// openapi.json, whichever way the test asked: the helpers, the typed client or a raw `fetch` (docs/api.md
// "The API contract"). An answer that drifts from the document makes the `fetch` call, and so the test, fail.
globalThis.fetch = documentedFetch(globalThis.fetch);
