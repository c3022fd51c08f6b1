import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { GroupCommit, type GroupCommitMember } from './group-commit.js';

interface Item {
  readonly name: string;
  readonly keys: readonly string[];
  readonly ride?: string;
}

/** A group commit whose batches stay running until the test ends them, each member answered with its name. */
function recording(maxSize = 3, maxWaitMs = 5) {
  const batches: { members: readonly GroupCommitMember<Item, string>[]; end: () => void }[] = [];
  const group = new GroupCommit<Item, string>({
    keysOf: (item) => item.keys,
    ridesOn: (item) => item.ride ?? item.name,
    write: (members) =>
      new Promise<void>((end) => {
        batches.push({
          members,
          end: () => {
            for (const member of members) member.resolve(`${member.item.name}${member.held ? ' held' : ''}`);
            end();
          },
        });
      }),
    maxSize,
    maxWaitMs,
  });
  const names = (index: number) => batches[index]!.members.map(({ item }) => item.name);
  return { group, batches, names };
}

const item = (name: string, ...keys: string[]): Item => ({ name, keys: keys.length === 0 ? [name] : keys });

describe('GroupCommit', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('sends a lone item at once, and answers it from its batch', async () => {
    const { group, batches, names } = recording();
    const answer = group.submit(item('a'));
    expect(names(0)).toEqual(['a']);
    batches[0]!.end();
    await expect(answer).resolves.toBe('a');
  });

  it('gathers arrivals while a batch runs, until the first has waited maxWaitMs', async () => {
    const { group, batches, names } = recording(3, 5);
    void group.submit(item('a'));
    void group.submit(item('b'));
    await jest.advanceTimersByTimeAsync(4);
    expect(batches).toHaveLength(1);
    void group.submit(item('c'));
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toHaveLength(2);
    expect(names(1)).toEqual(['b', 'c']);
  });

  it('sends a full batch without waiting', () => {
    const { group, names } = recording(2, 5);
    void group.submit(item('a'));
    void group.submit(item('b'));
    void group.submit(item('c'));
    expect(names(1)).toEqual(['b', 'c']);
  });

  it('holds an item back while a batch holding one of its keys runs, then sends it', async () => {
    const { group, batches, names } = recording(3, 5);
    void group.submit(item('a', 'case-1'));
    void group.submit(item('b', 'case-2', 'case-1'));
    void group.submit(item('c', 'case-3'));
    await jest.advanceTimersByTimeAsync(5);
    expect(names(1)).toEqual(['c']);
    await jest.advanceTimersByTimeAsync(50);
    expect(batches).toHaveLength(2);
    batches[0]!.end();
    // c still runs: b, free now, gathers for maxWaitMs as any arrival does.
    await jest.advanceTimersByTimeAsync(5);
    expect(names(2)).toEqual(['b']);
  });

  it('puts no two items holding one key in one batch, but lets one sharing a ride key join held', async () => {
    const { group, batches, names } = recording(4, 5);
    void group.submit(item('first', 'x'));
    const arrivals = [
      group.submit({ name: 'a', keys: ['key-1', 'applicant-1'], ride: 'key-1' }),
      group.submit({ name: 'b', keys: ['key-2', 'applicant-1'], ride: 'key-2' }),
      group.submit({ name: 'c', keys: ['key-1', 'applicant-1'], ride: 'key-1' }),
    ];
    await jest.advanceTimersByTimeAsync(5);
    expect(names(1)).toEqual(['a', 'c']);
    batches[1]!.end();
    await expect(arrivals[0]).resolves.toBe('a');
    await expect(arrivals[2]).resolves.toBe('c held');
    expect(batches).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(5);
    expect(names(2)).toEqual(['b']);
  });

  it('rejects every member of a batch whose write throws', async () => {
    const failure = new Error('write failed');
    const group = new GroupCommit<Item, string>({
      keysOf: (item) => item.keys,
      write: () => Promise.reject(failure),
      maxSize: 3,
      maxWaitMs: 5,
    });
    await expect(group.submit(item('a'))).rejects.toBe(failure);
  });
});
