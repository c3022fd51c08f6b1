import { readFileSync } from 'node:fs';
import type { AnyStateMachine } from 'xstate';
import { PROCEDURE_VERSIONS } from './procedure-registry.js';

interface StateNodeLike {
  readonly key: string;
  readonly type: string;
  readonly states: Readonly<Record<string, StateNodeLike>>;
}

/** The final states of a machine, read from its definition (never hand-written). */
function finalStatesOf(machine: AnyStateMachine): string[] {
  const finals: string[] = [];
  const walk = (node: StateNodeLike) => {
    if (node.type === 'final') finals.push(node.key);
    Object.values(node.states).forEach(walk);
  };
  walk(machine.root as unknown as StateNodeLike);
  return finals;
}

/** `deemedWithdrawn` → `deemed-withdrawn`, as docs/procedures.md names an end. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe('final states of every procedure', () => {
  const docs = readFileSync(new URL('../../../docs/procedures.md', import.meta.url), 'utf8');
  const rows = Object.entries(PROCEDURE_VERSIONS).flatMap(([procedure, versions]) =>
    Object.values(versions).map((definition) => [procedure, finalStatesOf(definition.machine)] as const),
  );

  it.each(rows)('%s: docs/procedures.md lists every end of its machine', (procedure, finals) => {
    const row = docs.split('\n').find((line) => line.startsWith(`| \`${procedure}\``));
    expect(row).toBeDefined();
    const ends = row!.split('|').at(-2)!;
    expect(finals.length).toBeGreaterThan(0);
    for (const end of finals) expect([procedure, end, ends.includes(kebab(end))]).toEqual([procedure, end, true]);
  });
});
