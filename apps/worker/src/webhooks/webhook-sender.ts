import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isForbiddenAddress } from '@minsheng/infra';

/** A receiver's answer is read up to this many bytes and no further (we need its status, not its body). */
export const RESPONSE_LIMIT_BYTES = 64 * 1024;

export interface SendRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  /** Development and tests: loopback and private targets allowed (`WEBHOOK_ALLOW_PRIVATE_TARGETS`). */
  readonly allowPrivate: boolean;
}

/** What one attempt came to: a status code, or the reason there was none (or why the status is a failure). */
export interface SendResult {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
}

/** Refused before connecting: the name resolved to an address a webhook may not reach. */
class ForbiddenTargetError extends Error {}

/**
 * The name is resolved once per attempt and the socket connects to the address that was checked, not to whatever a
 * second resolution would answer (DNS rebinding): the check is the connection's own `lookup`.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = allowPrivate ? addresses : addresses.filter((a) => !isForbiddenAddress(a.address));
      if (allowed.length === 0) {
        const refused = new ForbiddenTargetError(
          `${hostname} resolves only to addresses a webhook may not reach (${addresses.map((a) => a.address).join(', ')})`,
        );
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return callback(null, allowed);
      const first = allowed[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * POSTs one signed body (docs/webhooks.md "What a target may be"): a 2xx answer is success. A literal IP address in
 * the URL is checked as such (Node does not look it up); a name through the guarded lookup. Connecting and the
 * whole answer share the timeout; redirects are not followed (a 3xx is a failure); the answer is read up to
 * RESPONSE_LIMIT_BYTES.
 */
export function sendWebhook(request: SendRequest): Promise<SendResult> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve({ ok: false, statusCode: null, error: 'the URL is not valid' });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!request.allowPrivate && (url.protocol !== 'https:' || isLiteralForbidden(host))) {
    return Promise.resolve({
      ok: false,
      statusCode: null,
      error:
        url.protocol !== 'https:'
          ? 'refused: only https targets are allowed'
          : `refused: ${host} is an address a webhook may not reach`,
    });
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
        },
        lookup: guardedLookup(request.allowPrivate),
        agent: false,
      },
      (res) => {
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > RESPONSE_LIMIT_BYTES) res.destroy();
        });
        const done = () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          finish({ ok, statusCode: status, error: ok ? null : `the receiver answered ${status}` });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no complete answer within ${request.timeoutMs} ms`));
    }, request.timeoutMs);
    req.on('error', (error) => {
      const reason = error instanceof ForbiddenTargetError ? `refused: ${error.message}` : error.message;
      finish({ ok: false, statusCode: null, error: reason || String(error) });
    });
    req.end(request.body);
  });
}

function isLiteralForbidden(host: string): boolean {
  // A name is checked by the lookup; a literal address never reaches it.
  return /^[\d.]+$|:/.test(host) && isForbiddenAddress(host);
}
