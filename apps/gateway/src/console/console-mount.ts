import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyReply, type FastifyRequest } from 'fastify';

/** Where the console's pages live: `npm run build` writes them to dist/console (docs/console.md). */
export const CONSOLE_PATH = '/console';

/**
 * The console's policy: everything from this origin, no inline script or style, no frames, no plugins. Stricter
 * than the policy of the API docs and the queue dashboard, which need inline styles (security-headers.ts).
 */
export const CONSOLE_CSP = consoleCsp(null);

/**
 * The policy with the identity provider's origin (OpenID Connect sign-in, docs/console.md) allowed for `fetch`
 * only: the console reads its discovery document and redeems the code at its token endpoint.
 */
export function consoleCsp(issuer: string | null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    issuer ? `connect-src 'self' ${new URL(issuer).origin}` : "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Hashed file names change with their content, so a browser may keep them for a year without asking again. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** dist/console of the checkout (or image) the gateway runs from: the first folder above with a package.json. */
export function consoleDirectory(from: string = import.meta.dirname): string | null {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  const built = resolve(dir, 'dist', 'console');
  return existsSync(join(built, 'index.html')) ? built : null;
}

/**
 * Serves the console under /console: hashed assets cached for good, the page itself (index.html, also for every
 * other path under /console, so a reload keeps the page) revalidated on each load, every answer under the strict
 * policy above. Without a build (the integration tests) /console is simply not there.
 */
export async function mountConsole(
  app: NestFastifyApplication,
  issuer: string | null,
  root = consoleDirectory(),
): Promise<void> {
  if (!root) return;
  const csp = consoleCsp(issuer);
  const page = readFileSync(join(root, 'index.html'));
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('content-security-policy', csp);
      return payload;
    });
    await scope.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: `${CONSOLE_PATH}/assets/`,
      decorateReply: false,
      index: false,
      cacheControl: false,
      setHeaders: (reply) => void reply.header('cache-control', IMMUTABLE),
    });
    const sendPage = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
    scope.get(CONSOLE_PATH, sendPage);
    scope.get(`${CONSOLE_PATH}/`, sendPage);
    scope.get(`${CONSOLE_PATH}/*`, sendPage);
  });
}
