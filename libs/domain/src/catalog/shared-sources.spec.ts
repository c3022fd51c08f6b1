import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMAINS, aspectsOf } from './domains.js';
import { SERVICE_ITEMS, itemsOfDomain } from './service-items.js';
import { URUMQI_DIVISIONS } from './urumqi-divisions.js';

// Compares the catalog with the sources it was written from, read at test time from shared/ (beside the
// repository; /work/shared on the development machine): the official names with the seed text
// 《乌鲁木齐市基本公共服务标准（2023年版）》政策解读, and the embedded divisions with the CSV they were generated from.
// Nothing is copied into the repository.
const SEED_FILE = 'seeds/urumqi-basic-public-service-standard-2023-interpretation.txt';
const DIVISIONS_FILE = 'domain/urumqi-divisions.csv';

function repositoryRoot(): string {
  let dir = process.cwd();
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function readShared(file: string): string {
  const candidates = [path.resolve(repositoryRoot(), '../shared', file), path.join('/work/shared', file)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(`${file} not found; looked in ${candidates.join(', ')}`);
  return readFileSync(found, 'utf8');
}

// Two item names contain 、 themselves (docs/domain.md §1.1); splitting on 、 would cut them in two.
const COMPOUND_NAMES = ['职业介绍、职业指导和创业开业指导', '职业技能培训、鉴定和生活费补贴'];
const CHINESE_NUMERALS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

interface SeedDomain {
  readonly name: string;
  readonly aspects: readonly string[];
  readonly aspectCount: number;
  readonly itemCount: number;
  readonly items: readonly string[];
}

function splitNames(list: string): string[] {
  const names: string[] = [];
  for (const piece of list.split('、')) {
    const previous = names.at(-1);
    if (previous !== undefined && COMPOUND_NAMES.includes(`${previous}、${piece}`))
      names[names.length - 1] = `${previous}、${piece}`;
    else names.push(piece);
  }
  return names;
}

function parseSeed(seed: string): SeedDomain[] {
  const text = seed
    .replace(/HYPERLINK\s+\\l\s+_Toc\d+/g, '') // stray Word field codes
    .replace(/\s+/gu, ''); // line breaks and (full-width) spaces inside the lists
  const paragraph = /([^。：，、]+?)领域包括(.+?)等([一二三四五六七八九]|\d+)个方面(\d+)项服务，分别为(.+?)。/g;
  return [...text.matchAll(paragraph)].map(([, name, aspects, aspectCount, itemCount, items]) => ({
    name: name!,
    aspects: aspects!.split('、'),
    aspectCount: CHINESE_NUMERALS[aspectCount!] ?? Number(aspectCount),
    itemCount: Number(itemCount),
    items: splitNames(items!),
  }));
}

describe('the catalog against the seed text', () => {
  const seedDomains = parseSeed(readShared(SEED_FILE));

  it("finds the 9 domains in the standard's order", () => {
    expect(seedDomains.map((domain) => domain.name)).toEqual(DOMAINS.map((domain) => domain.nameZh));
  });

  it('states the same aspect and item counts as the catalog', () => {
    expect(seedDomains.map((domain) => [domain.aspectCount, domain.itemCount])).toEqual(
      DOMAINS.map((domain) => [domain.statedAspectCount, domain.statedItemCount]),
    );
  });

  it.each(DOMAINS.map((domain, index) => [domain.nameZh, domain, index] as const))(
    '%s: the aspect names match one by one',
    (_name, domain, index) => {
      expect(seedDomains[index]?.aspects).toEqual(aspectsOf(domain.code).map((aspect) => aspect.nameZh));
    },
  );

  it.each(DOMAINS.map((domain, index) => [domain.nameZh, domain, index] as const))(
    '%s: the item names match one by one and number what the seed states',
    (_name, domain, index) => {
      const seedDomain = seedDomains[index]!;
      expect(seedDomain.items).toHaveLength(seedDomain.itemCount);
      expect(itemsOfDomain(domain.code).map((item) => item.nameZh)).toEqual(seedDomain.items);
    },
  );

  it('lists the 97 names in the order of the BPS codes', () => {
    const seedNames = seedDomains.flatMap((domain) => domain.items);
    expect(seedNames).toHaveLength(97);
    seedNames.forEach((name, index) => {
      const code = `BPS-${String(index + 1).padStart(3, '0')}`;
      expect({ code, name: SERVICE_ITEMS[index]?.nameZh }).toEqual({ code, name });
    });
  });

  it('keeps the two compound names whole', () => {
    const seedNames = seedDomains.flatMap((domain) => domain.items);
    expect(seedNames).toEqual(expect.arrayContaining(COMPOUND_NAMES));
    expect(seedNames).not.toContain('职业介绍');
    expect(seedNames).not.toContain('鉴定和生活费补贴');
  });
});

describe('the divisions against the source CSV', () => {
  it('embeds every row unchanged, in order', () => {
    const rows = readShared(DIVISIONS_FILE).trim().split(/\r?\n/).slice(1);
    expect(rows.map((row) => row.replaceAll('"', ''))).toEqual(
      URUMQI_DIVISIONS.map((d) => `${d.code},${d.name},${d.parentCode},${d.level}`),
    );
  });
});
