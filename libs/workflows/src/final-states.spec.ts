import { readFileSync } from 'node:fs';
import { finalStatesOf } from './final-states.js';
import { PROCEDURE_VERSIONS } from './procedure-registry.js';

describe('final states of every procedure', () => {
  const docs = readFileSync(new URL('../../../docs/procedures.md', import.meta.url), 'utf8');
  const rows = Object.entries(PROCEDURE_VERSIONS).flatMap(([procedure, versions]) =>
    Object.values(versions).map(
      (definition) => [procedure, finalStatesOf(definition.machine).map((end) => end.outcome)] as const,
    ),
  );

  it.each(rows)('%s: docs/procedures.md lists every end of its machine', (procedure, finals) => {
    const row = docs.split('\n').find((line) => line.startsWith(`| \`${procedure}\``));
    expect(row).toBeDefined();
    const ends = row!.split('|').at(-2)!;
    expect(finals.length).toBeGreaterThan(0);
    for (const end of finals) expect([procedure, end, ends.includes(end)]).toEqual([procedure, end, true]);
  });
});
