import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// Comments and data cite docs/ pages (`docs/domain.md §3.1`, `docs/architecture.md invariant 6`); this test keeps
// every such citation, and every relative link of the docs, pointing at something that exists in the repository.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNED = ['apps', 'libs', 'migrations', 'scripts', 'test', 'bench'];
const TEXT_FILE = /\.(ts|mts|js|mjs|cjs|md|sql|sh|json)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'results']);
const THIS_FILE = relative(ROOT, fileURLToPath(import.meta.url));

function filesUnder(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return SKIPPED_DIRS.has(name) ? [] : filesUnder(path);
    return TEXT_FILE.test(name) && path !== THIS_FILE ? [path] : [];
  });
}

interface Line {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

const lines: Line[] = SCANNED.flatMap(filesUnder).flatMap((file) =>
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .map((text, i) => ({ file, line: i + 1, text })),
);
const where = (l: Line) => `${l.file}:${l.line}: ${l.text.trim()}`;
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Section numbers of docs/domain.md headings: `### 3.1 最低生活保障` → `3.1`, `## 4. Holidays` → `4`. */
function domainSections(): Set<string> {
  return new Set([...read('docs/domain.md').matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1]!));
}

/** The numbers of the invariants list in docs/architecture.md (`1. **PostgreSQL is …`). */
function invariantNumbers(): Set<string> {
  const text = read('docs/architecture.md');
  const start = text.indexOf('## Invariants');
  const end = text.indexOf('\n## ', start + 1);
  return new Set([...text.slice(start, end).matchAll(/^(\d+)\. \*\*/gm)].map((m) => m[1]!));
}

/** Heading texts of a markdown page, lower case, for `docs/x.md "Heading"` citations. */
function headings(path: string): string[] {
  return [...read(path).matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase());
}

describe('citations in code resolve inside the repository', () => {
  it('finds the citations it checks (the scan is not empty)', () => {
    expect(lines.filter((l) => l.text.includes('docs/domain.md §')).length).toBeGreaterThan(50);
    expect(lines.filter((l) => l.text.includes('reference §')).length).toBeGreaterThan(10);
    expect(lines.filter((l) => /docs\/architecture\.md invariant \d/.test(l.text)).length).toBeGreaterThan(20);
  });

  it('every cited docs/ or bench/ markdown file exists', () => {
    const missing = lines.flatMap((l) =>
      [...l.text.matchAll(/\b((?:docs|bench)\/[\w./-]+\.md)\b/g)]
        .filter((m) => !existsSync(join(ROOT, m[1]!)))
        .map((m) => `${m[1]} (${where(l)})`),
    );
    expect(missing).toEqual([]);
  });

  // The catalog's evidence data cites the same sections as `reference §N` (docs/domain.md says so).
  it('every § cited in docs/domain.md (or as `reference §N`) is a section of it', () => {
    const sections = domainSections();
    const unknown = lines.flatMap((l) =>
      [...l.text.matchAll(/(?:docs\/domain\.md|\breference)((?:[\s,;–-]*(?:and\s+)?§\d+(?:\.\d+)*)+)/g)].flatMap((m) =>
        [...m[1]!.matchAll(/§(\d+(?:\.\d+)*)/g)]
          .filter((s) => !sections.has(s[1]!))
          .map((s) => `§${s[1]} (${where(l)})`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('every source id in an evidence tag (`[S P33]`, `[V L1 art. 9]`) is in the source register of docs/domain.md', () => {
    const register = read('docs/domain.md');
    const registered = new Set([...register.matchAll(/^\| (P\d+|L\d+) /gm)].map((m) => m[1]!));
    for (const m of register.matchAll(/\b(C\d) (?:a|an|the) /g)) registered.add(m[1]!);
    const tags = lines.flatMap((l) => [...l.text.matchAll(/\[(?:V|S|R|G)\b[^\]]*\]/g)].map((m) => ({ l, tag: m[0] })));
    expect(tags.length).toBeGreaterThan(50);
    const unknown = tags.flatMap(({ l, tag }) =>
      [...tag.matchAll(/\b([PLC]\d+)\b/g)]
        .filter((id) => !registered.has(id[1]!))
        .map((id) => `${id[1]} (${where(l)})`),
    );
    expect(unknown).toEqual([]);
  });

  it('every invariant cited in docs/architecture.md is one of its numbered invariants', () => {
    const invariants = invariantNumbers();
    expect(invariants.size).toBeGreaterThanOrEqual(14);
    const unknown = lines.flatMap((l) =>
      [...l.text.matchAll(/docs\/architecture\.md invariants? (\d+)/g)]
        .filter((m) => !invariants.has(m[1]!))
        .map((m) => `invariant ${m[1]} (${where(l)})`),
    );
    expect(unknown).toEqual([]);
  });

  it('every quoted section of a docs/ page is one of its headings', () => {
    const unknown = lines.flatMap((l) =>
      [...l.text.matchAll(/\b(docs\/[\w.-]+\.md),? "([^"]+)"/g)]
        .filter((m) => existsSync(join(ROOT, m[1]!)) && !headings(m[1]!).includes(m[2]!.toLowerCase()))
        .map((m) => `${m[1]} "${m[2]}" (${where(l)})`),
    );
    expect(unknown).toEqual([]);
  });

  it('cites no document outside the repository, and no tracker issue instead of the reason', () => {
    const outside = /(?<!docs\/)\b(?:reference|design)\.md\b|stack-notes|\bissues? #?\d+\b/;
    expect(lines.filter((l) => outside.test(l.text)).map(where)).toEqual([]);
  });
});

describe('links in the docs resolve', () => {
  const pages = ['README.md', 'bench/README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter(
    (p) => p.endsWith('.md') && existsSync(join(ROOT, p)),
  );

  it.each(pages)('%s links only to files that exist', (page) => {
    const links = [...read(page).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!.split('#')[0]!)
      .filter((target) => target !== '' && !/^[a-z]+:/.test(target));
    const missing = links.filter((target) => !existsSync(join(ROOT, dirname(page), target)));
    expect(missing).toEqual([]);
  });
});
