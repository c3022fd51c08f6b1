import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The engine alone changes a task's state from a decision (docs/architecture.md invariant 12): the gateway records
// the request, and the procedure's rules are checked in one place, the engine applying the command.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The text of a class method: from its signature to the closing brace at its own indentation. */
function methodText(file: string, signature: string): string {
  const text = read(file);
  const start = text.indexOf(signature);
  if (start < 0) throw new Error(`${signature} not found in ${file}`);
  return text.slice(start, text.indexOf('\n  }\n', start));
}

describe('who decides a task', () => {
  it('the gateway does not ask the case machine whether to take a decision', () => {
    // The decision's path: `decide`, its one attempt and the attempt's statements (bench/profiles/engine.md).
    const decide = ['async decide(', 'private async decideOnce(', 'private async decideIn(']
      .map((signature) => methodText('apps/gateway/src/tasks/task-commands.ts', signature))
      .join('\n');
    expect(decide.length).toBeGreaterThan(500);
    expect(decide).not.toMatch(/machineAccepts|accepts\(|advance\(|transition\(/);
    expect(decide).toContain('RECORD_DECISION_REQUEST');
  });

  it('sets a task decided from a decision request only in the engine (the gateway only for an escalation)', () => {
    // A periodic review of an entitlement (`entitlement_reviews`, docs/money.md) is no task: its own status is not
    // counted here.
    const writers = [...sources('apps'), ...sources('libs')].filter((file) =>
      read(file)
        .split('\n')
        .some((line) => /SET status = 'decided'/.test(line) && !/UPDATE entitlement_reviews /.test(line)),
    );
    expect(writers.sort()).toEqual([
      'apps/gateway/src/tasks/task-commands.ts',
      'apps/worker/src/engine/decision-answers.ts',
    ]);
    const gateway = read('apps/gateway/src/tasks/task-commands.ts');
    const statement = /const (\w+) = `\s*UPDATE tasks SET status = 'decided'/.exec(gateway);
    expect(statement?.[1]).toBe('ACKNOWLEDGE_ESCALATION');
  });
});
