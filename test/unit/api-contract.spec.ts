import { assertDocumentedAnswer } from '../support/api-contract.js';

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
