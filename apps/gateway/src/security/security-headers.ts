import helmet from 'helmet';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Content-Security-Policy for every answer. The API answers JSON, which no policy affects; the two HTML pages the
 * gateway serves, the OpenAPI UI (/docs) and the queue dashboard (/ops/board), load their scripts from this origin
 * only, use inline styles, and the dashboard takes its fonts from Google Fonts. No `upgrade-insecure-requests`:
 * the dashboard runs on plain http on a developer machine.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:', 'https://fonts.gstatic.com'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
  },
};

/**
 * Security headers on every answer (helmet: CSP, HSTS, nosniff, frame denial, no referrer, …), and
 * `Cache-Control: no-store` on every answer that does not set its own caching: answers carry applicants' data
 * (a task's detail, a case's view) unless a route says otherwise, as the public catalog does.
 */
export function applySecurityHeaders(app: NestFastifyApplication): void {
  // The middleware is built once: @fastify/helmet built it (parsing the CSP directives) on every request, 1.5 % of
  // the gateway's CPU at intake (bench/profiles/intake.md). Same headers, set on the raw response as it did.
  const setHeaders = helmet({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, frameguard: { action: 'deny' } });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, () => done());
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  });
}
