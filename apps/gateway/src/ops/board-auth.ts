import { type FastifyReply, type FastifyRequest } from 'fastify';
import { DomainError, errorEntry, type ErrorCode } from '@minsheng/domain';
import { type StaffIdentity } from '../auth/staff-identity.js';
import { type TokenVerifier } from '../auth/token-verifier.js';
import { PROBLEM_CONTENT_TYPE, problemType } from '../problems/problem.js';

/** The cookie `POST /v1/ops/board/session` sets: the operator's own JWT, scoped to the dashboard's path. */
export const BOARD_COOKIE = 'ms_ops';
export const BOARD_PATH = '/ops/board';

/** The value of one cookie from the Cookie header (the board needs no cookie library for one name). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return cookieValue(request.headers.cookie, BOARD_COOKIE);
}

/**
 * Authenticates a request to the dashboard (plain Fastify routes, outside Nest's guards): the operator JWT as a
 * bearer header or the session cookie, verified exactly as the API verifies it. Refusals are problem+json.
 */
export async function authenticateBoardRequest(
  verifier: TokenVerifier,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<StaffIdentity | undefined> {
  const refuse = (code: ErrorCode, detail: string) => {
    const { status } = errorEntry(code);
    void reply
      .status(status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({
        type: problemType(code),
        title: status === 401 ? 'Unauthorized' : 'Forbidden',
        status,
        detail,
        code,
        instance: request.url,
        requestId: String(request.id),
      });
    return undefined;
  };
  const token = tokenOf(request);
  if (!token) return refuse('AUTH.UNAUTHENTICATED', 'an operator token (bearer or session cookie) is required');
  let staff: StaffIdentity;
  try {
    staff = await verifier.verify(token);
  } catch (error) {
    if (error instanceof DomainError) return refuse(error.code, error.message);
    throw error;
  }
  if (!staff.roles.includes('operator')) return refuse('AUTH.FORBIDDEN', 'the dashboard needs the operator role');
  return staff;
}
