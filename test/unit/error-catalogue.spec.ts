import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CATALOGUE, isErrorCode } from '@minsheng/domain';

// Every error code the code can produce is in the catalogue (docs/errors.md). The type checker already refuses a
// `new DomainError(code, …)` with any other code; this scan also catches codes written elsewhere: field errors
// (`refuse(field, 'HOUSEHOLD.DUPLICATE_MEMBER', …)`), constants, `super('CALENDAR.INVALID', …)` in subclasses and
// codes handed through a variable typed `string`.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SOURCE = /\.ts$/;
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.ts$/;
const CODE_LITERAL = /['`]([A-Z][A-Z0-9_]*\.[A-Z][A-Z0-9_]*)['`]/g;

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(name) && !TEST_FILE.test(name) ? [path] : [];
  });
}

const used = new Map<string, string>();
for (const file of ['apps', 'libs'].flatMap(sourceFiles)) {
  for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(CODE_LITERAL)) {
    if (!used.has(match[1]!)) used.set(match[1]!, file);
  }
}

describe('the error catalogue', () => {
  it('finds the codes it checks (the scan is not empty)', () => {
    expect(used.size).toBeGreaterThan(80);
    expect(used.get('CASE.ALREADY_OPEN')).toBe('apps/gateway/src/applications/submit-application.ts');
  });

  it('holds every code written in apps/ and libs/', () => {
    const unknown = [...used].filter(([code]) => !isErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    expect(unknown).toEqual([]);
  });

  it('holds no code that nothing produces', () => {
    expect(Object.keys(ERROR_CATALOGUE).filter((code) => !used.has(code))).toEqual([]);
  });

  it('gives every code a 4xx status, or 503 for a dependency away: a domain refusal is never a 500', () => {
    const bad = Object.entries(ERROR_CATALOGUE).filter(
      ([, entry]) => !(entry.status >= 400 && entry.status < 500) && entry.status !== 503,
    );
    expect(bad).toEqual([]);
  });

  it('marks the transient failures retryable and the refusals permanent', () => {
    const retryable = Object.entries(ERROR_CATALOGUE)
      .filter(([, entry]) => entry.retryable)
      .map(([code]) => code)
      .sort();
    expect(retryable).toEqual([
      'CASE.STALE_WRITE',
      'IDEMPOTENCY.IN_PROGRESS',
      'RATE_LIMIT.EXCEEDED',
      'SERVICE.UNAVAILABLE',
      'TRANSACTION.CONFLICT',
    ]);
  });
});
