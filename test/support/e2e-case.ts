import { randomUUID } from 'node:crypto';
import { createPortal } from '../../apps/gateway/src/portals/portal-registry.js';
import { PiiCipher } from '../../libs/infra/src/index.js';
import { minimumLivingApplication } from '../integration/intake/intake-fixtures.js';
import { eventually } from './given.js';
import { getJson } from './http.js';
import type { TestEnvironment } from './test-environment.js';

/** A portal registered in the file's schema submits a minimum-living application over HTTP; its case id. */
export async function submitMinimumLiving(env: TestEnvironment, base: string, portalName: string): Promise<string> {
  const cipher = new PiiCipher(env.config.pii.encryptionKey, env.config.pii.hashKey);
  const q = { query: async (sql: string, params?: unknown[]) => (await env.db.query(sql, params)).rows };
  const portal = await createPortal(q, cipher, {
    name: portalName,
    allowedItems: ['BPS-064'],
    rateLimitPerMinute: 10_000,
  });
  const submitted = await getJson(`${base}/v1/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': portal.apiKey, 'idempotency-key': randomUUID() },
    body: JSON.stringify(minimumLivingApplication()),
  });
  if (submitted.status !== 202) throw new Error(`submission answered ${submitted.status}`);
  return submitted.body.caseId as string;
}

/** The id of the case's open task of `step` in the inbox of the token's holder, once the engine has opened it. */
export async function taskOfCase(
  base: string,
  caseId: string,
  headers: Record<string, string>,
  step: string,
): Promise<string> {
  return eventually(async () => {
    const inbox = await getJson(`${base}/v1/tasks?step=${step}&limit=200`, { headers });
    return inbox.body.items?.find((t: { caseId: string }) => t.caseId === caseId)?.id as string | undefined;
  }, 20_000);
}

/** Decides the case's open task of `step` over HTTP; the answer's status (202 when recorded). */
export async function decideOverHttp(
  base: string,
  caseId: string,
  headers: Record<string, string>,
  step: string,
  body: Record<string, unknown>,
): Promise<number> {
  const taskId = await taskOfCase(base, caseId, headers, step);
  const answer = await getJson(`${base}/v1/tasks/${taskId}/decision`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return answer.status;
}
