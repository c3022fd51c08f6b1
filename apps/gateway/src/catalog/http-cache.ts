import { createHash } from 'node:crypto';
import { type FastifyReply, type FastifyRequest } from 'fastify';

/** Public catalog answers may be cached by browsers and proxies for five minutes, then revalidated with the ETag. */
export const CATALOG_CACHE_CONTROL = 'public, max-age=300';

/**
 * A strong ETag of the exact bytes served. The answers carry the loaded catalog version, so a new catalog changes
 * every tag, and the parameter answers (which change when an operator publishes, or when a date passes) change
 * theirs with their content.
 */
export function strongEtag(json: string): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/"x"` matches `"x"`, `*` matches anything. */
export function etagMatches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const candidates = (Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch)
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''));
  return candidates.includes('*') || candidates.includes(etag);
}

/** Sends a cacheable JSON answer: 200 with Cache-Control and ETag, or 304 without a body when the client's copy is current. */
export function sendCacheable(request: FastifyRequest, reply: FastifyReply, body: unknown): FastifyReply {
  const json = JSON.stringify(body);
  const etag = strongEtag(json);
  void reply.header('cache-control', CATALOG_CACHE_CONTROL).header('etag', etag);
  if (etagMatches(request.headers['if-none-match'], etag)) return reply.status(304).send();
  return reply.status(200).type('application/json; charset=utf-8').send(json);
}
