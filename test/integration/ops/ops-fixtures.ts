import { mintStaffToken } from '../../../scripts/mint-token.js';
import { type TestEnvironment } from '../../support/test-environment.js';

/** Staff tokens for the operator tests: an operator, and a reviewer who must be refused. */
export async function staffTokens(env: TestEnvironment): Promise<{ operator: string; reviewer: string }> {
  const base = { department: 'civil-affairs', level: 'city', divisions: ['650100'] };
  return {
    operator: await mintStaffToken({ ...base, sub: 'op-1', name: 'Operator One', roles: ['operator'] }, env.env),
    reviewer: await mintStaffToken({ ...base, sub: 'rv-1', name: 'Reviewer One', roles: ['reviewer'] }, env.env),
  };
}

export function bearer(token: string, more: Record<string, string> = {}): RequestInit {
  return { headers: { authorization: `Bearer ${token}`, ...more } };
}

export function post(token: string, requestId?: string): RequestInit {
  return {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(requestId ? { 'x-request-id': requestId } : {}) },
  };
}
