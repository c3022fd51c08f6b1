import { assertDocumentedAnswer, documentedFetch } from '../support/api-contract.js';

// The tests' response check must refuse drift, or "every answer validates" proves nothing.
const caseId = '1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b';
const answer = {
  caseId,
  trackingNumber: 'WLMQ-2026-00000001',
  accepted: 'WITHDRAWN',
  commandId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
  acceptedAt: '2026-03-02T01:30:00.000Z',
  links: { self: `/v1/cases/${caseId}`, events: `/v1/cases/${caseId}/events` },
};
const url = `http://127.0.0.1:3000/v1/cases/${caseId}/withdrawal`;
const json = 'application/json; charset=utf-8';

describe('the check of answers against openapi.json', () => {
  it('accepts an answer the document describes', () => {
    expect(() => assertDocumentedAnswer('POST', url, 202, json, answer)).not.toThrow();
  });

  it('refuses an answer missing a field, with a renamed field, or a field of another type', () => {
    const { trackingNumber: _dropped, ...missing } = answer;
    expect(() => assertDocumentedAnswer('POST', url, 202, json, missing)).toThrow(/trackingNumber/);
    expect(() => assertDocumentedAnswer('POST', url, 202, json, { ...answer, caseID: caseId })).toThrow(/additional/);
    expect(() => assertDocumentedAnswer('POST', url, 202, json, { ...answer, commandId: 7 })).toThrow(/string/);
  });

  it('refuses a status the operation does not declare, and a refusal that is not a Problem', () => {
    expect(() => assertDocumentedAnswer('POST', url, 200, json, answer)).toThrow(/declares no such answer/);
    const problem = { type: 'about:blank', title: 'Conflict', status: 409, code: 'CASE.CLOSED' };
    const problemJson = 'application/problem+json';
    expect(() => assertDocumentedAnswer('POST', url, 409, problemJson, problem)).not.toThrow();
    expect(() => assertDocumentedAnswer('POST', url, 409, json, problem)).toThrow(/application\/json/);
    const { code: _code, ...withoutCode } = problem;
    expect(() => assertDocumentedAnswer('POST', url, 409, problemJson, withoutCode)).toThrow(/code/);
  });

  it('tells a literal path from a parameter: /v1/ops/cases/stuck is not a case id', () => {
    const stuck = 'http://127.0.0.1:3000/v1/ops/cases/stuck';
    expect(() => assertDocumentedAnswer('GET', stuck, 200, json, { items: [] })).not.toThrow();
    expect(() => assertDocumentedAnswer('GET', stuck, 200, json, { stuck: [] })).toThrow(/items/);
  });
});

describe('fetch as the integration and end-to-end tests see it', () => {
  const answering =
    (body: unknown, status = 200, contentType = json): typeof fetch =>
    () =>
      Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } }));
  const domains = 'http://127.0.0.1:3000/v1/catalog/domains';
  const domain = {
    code: 'vulnerable-groups',
    nameZh: '弱有所扶',
    nameEn: 'Support for vulnerable groups',
    statedItemCount: 18,
    statedAspectCount: 3,
    itemCount: 18,
    aspects: [{ code: 'vulnerable-groups.social-assistance', nameZh: '社会救助服务', nameEn: 'Social', itemCount: 7 }],
  };

  it('hands over an answer the document describes, body unread', async () => {
    const response = await documentedFetch(answering({ catalogVersion: 'v1', items: [domain] }))(domains);
    expect((await response.json()) as unknown).toEqual({ catalogVersion: 'v1', items: [domain] });
  });

  it('fails the call when a raw fetch receives a drifted body, an undeclared status or a bare error', async () => {
    const { aspects: _dropped, ...withoutAspects } = domain;
    await expect(
      documentedFetch(answering({ catalogVersion: 'v1', items: [withoutAspects] }))(domains),
    ).rejects.toThrow(/aspects/);
    await expect(
      documentedFetch(answering({ catalogVersion: 'v1', items: [{ ...domain, itemCount: '18' }] }))(domains),
    ).rejects.toThrow(/integer/);
    await expect(documentedFetch(answering({}, 418))(domains)).rejects.toThrow(/declares no such answer/);
    const problem = { type: 'about:blank', title: 'Bad Request', status: 400, code: 'VALIDATION.FAILED' };
    await expect(documentedFetch(answering(problem, 400))(domains)).rejects.toThrow(/application\/json/);
    await expect(documentedFetch(answering(problem, 400, 'application/problem+json'))(domains)).resolves.toBeInstanceOf(
      Response,
    );
  });

  it('checks the method and URL of a Request too, and passes undocumented calls through', async () => {
    const drifted = answering({ catalogVersion: 'v1', items: [{ code: 'x' }] });
    await expect(documentedFetch(drifted)(new Request(domains))).rejects.toThrow(/nameZh/);
    const board = await documentedFetch(drifted)('http://127.0.0.1:3000/ops/board');
    expect(board.status).toBe(200);
    const once = documentedFetch(drifted);
    expect(documentedFetch(once)).toBe(once);
  });
});
