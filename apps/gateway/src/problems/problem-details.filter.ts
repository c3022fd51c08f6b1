import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode } from '@minsheng/domain';
import { transientKindOf, type TransientKind } from '@minsheng/infra';
import { type Problem, PROBLEM_CONTENT_TYPE, problemType } from './problem.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function codeForStatus(status: number): string {
  return (TITLES[status] ?? 'Error').toUpperCase().replace(/ /g, '_');
}

/**
 * A dependency away (503) or contention that outlasted the in-request retries (409): both say "try again", with
 * `Retry-After` (docs/operations.md "Transient failures").
 */
function transientRefusal(kind: TransientKind, cause: unknown): DomainError {
  return kind === 'unavailable'
    ? new DomainError(
        'SERVICE.UNAVAILABLE',
        'a database or queue the service needs is unreachable for the moment; nothing was written, try again',
        { retryAfterSeconds: 5 },
        { cause },
      )
    : new DomainError(
        'TRANSACTION.CONFLICT',
        'concurrent changes to the same case kept colliding; nothing was written, try again',
        { retryAfterSeconds: 1 },
        { cause },
      );
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST.TOO_LARGE',
  FST_ERR_BAD_URL: 'REQUEST.BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'REQUEST.PARAMETER_TOO_LONG',
};

/**
 * Fastify's own refusals as problems: body too large (413), bad JSON (400), unsupported media type (415), and the
 * router's: a malformed percent-escape in the path (400), a path parameter over 100 characters (414).
 */
function fastifyRefusal(exception: unknown, base: { instance: string; requestId: string }): Problem | undefined {
  const fastifyError = exception as { statusCode?: number; code?: string; message?: string } | undefined;
  if (typeof fastifyError?.statusCode !== 'number' || fastifyError.statusCode >= 500) return undefined;
  const status = fastifyError.statusCode;
  const code = FASTIFY_CODES[fastifyError.code ?? ''] ?? codeForStatus(status);
  return {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail: fastifyError.message,
    code,
    ...base,
  };
}

/**
 * Fastify's `frameworkErrors`: the router refuses some URLs before any route, hook or filter runs; they are answered
 * as problems too, with the headers no hook had the chance to add.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem = fastifyRefusal(error, { instance: request.url, requestId: String(request.id) });
  void reply
    .status(problem?.status ?? 400)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('x-request-id', String(request.id))
    .send(problem ?? { status: 400, code: 'BAD_REQUEST', title: 'Bad Request', type: problemType('BAD_REQUEST') });
}

/** Turns every error into RFC 9457 `application/problem+json`: one place, so every route answers alike. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, problem.detail ?? problem.title);
    }
    const retryAfter = problem['retryAfterSeconds'];
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  private toProblem(exception: unknown, request: FastifyRequest): Problem {
    const base = { instance: request.url, requestId: String(request.id) };
    if (exception instanceof DomainError) {
      // The status is the code's, from the error catalogue (docs/errors.md): never guessed from the code's shape.
      const status = exception.status;
      const { field, ...rest } = exception.details;
      // Details become extension members, but never overwrite the standard ones (a detail named `status` once
      // replaced the HTTP status and turned a 409 into a 500).
      return {
        ...rest,
        type: problemType(exception.code),
        title: TITLES[status] ?? 'Error',
        status,
        detail: exception.message,
        code: exception.code,
        ...(field ? { errors: [{ field, code: exception.code, message: exception.message }] } : {}),
        ...base,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const {
        message,
        statusCode: _statusCode,
        ...fromBody
      } = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      // Nest's default body repeats the title as a string `error`; a health report's `error` names what is down.
      const failing = fromBody['error'];
      if (typeof failing === 'string') delete fromBody['error'];
      const notReady =
        typeof failing === 'object' && failing !== null
          ? `not ready: ${Object.keys(failing).join(', ')} down`
          : undefined;
      const code = typeof fromBody['code'] === 'string' ? fromBody['code'] : codeForStatus(status);
      // Extension members first (e.g. the health report), so they can never overwrite the standard members.
      const { status: _bodyStatus, ...extensions } = fromBody;
      return {
        ...extensions,
        type: problemType(code),
        title: TITLES[status] ?? exception.name,
        status,
        detail:
          notReady ??
          (typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : exception.message),
        code,
        ...base,
      } as Problem;
    }
    const refusal = fastifyRefusal(exception, base);
    if (refusal) return refusal;
    const transient = transientKindOf(exception);
    if (transient !== undefined) return this.toProblem(transientRefusal(transient, exception), request);
    const status = HttpStatus.INTERNAL_SERVER_ERROR;
    return {
      type: problemType('INTERNAL'),
      title: TITLES[status]!,
      status,
      detail: 'An unexpected error occurred; it has been logged with the request id.',
      code: 'INTERNAL',
      ...base,
    };
  }
}
