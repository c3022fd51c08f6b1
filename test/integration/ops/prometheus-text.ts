/**
 * A strict parser of the Prometheus text exposition format (0.0.4), enough to prove a scrape is well formed:
 * every sample belongs to a family declared by # HELP and # TYPE before it, names and labels follow the
 * grammar, values are numbers. Throws on the first line it cannot read.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
const SUFFIXES: Record<Family['type'], string[]> = {
  counter: ['', '_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['', '_sum', '_count', '_created'],
  untyped: [''],
};

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex;
    const match = LABEL.exec(text);
    if (!match) throw new Error(`line ${line}: bad label set at ${at}: ${text}`);
    const [, key, raw] = match;
    if (key! in labels) throw new Error(`line ${line}: duplicate label ${key}`);
    labels[key!] = raw!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    if (match[3] === '') break;
  }
  return labels;
}

/** Values are read like Go's strconv.ParseFloat (Prometheus' own parser): NaN and Inf in any letter case. */
function parseValue(text: string, line: number): number {
  const word = text.toLowerCase();
  if (word === '+inf' || word === 'inf') return Infinity;
  if (word === '-inf') return -Infinity;
  if (word === 'nan') return NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`line ${line}: bad value ${text}`);
  return value;
}

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family & { help: string }>();
  const helps = new Map<string, string>();
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const [, keyword, name, ...rest] = raw.split(' ');
      if (keyword === 'HELP') {
        if (!NAME.test(name ?? '')) throw new Error(`line ${line}: bad metric name in HELP`);
        helps.set(name!, rest.join(' '));
      } else if (keyword === 'TYPE') {
        const type = rest[0] as Family['type'];
        if (!NAME.test(name ?? '') || !(type in SUFFIXES)) throw new Error(`line ${line}: bad TYPE line`);
        if (families.has(name!)) throw new Error(`line ${line}: family ${name} declared twice`);
        families.set(name!, { name: name!, type, help: helps.get(name!) ?? '', samples: [] });
      }
      return;
    }
    const match = SAMPLE.exec(raw);
    if (!match) throw new Error(`line ${line}: not a sample: ${raw}`);
    const [, name, labelText, valueText] = match;
    const family = [...families.values()].find((f) => SUFFIXES[f.type].some((suffix) => `${f.name}${suffix}` === name));
    if (!family) throw new Error(`line ${line}: sample ${name} has no declared family`);
    family.samples.push({
      name: name!,
      labels: parseLabels(labelText ?? '', line),
      value: parseValue(valueText!, line),
    });
  });
  return families;
}

/** The sum of the samples called `name` whose labels include `labels` (0 when there are none). */
export function sampleSum(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) {
        sum += sample.value;
      }
    }
  }
  return sum;
}
