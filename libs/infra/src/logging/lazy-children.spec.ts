import { Writable } from 'node:stream';
import { pino } from 'pino';
import { withLazyChildren } from './lazy-children.js';

/** A root logger at `level` whose lines land in `lines`, counting how often its `req` serializer runs. */
function rootLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const serialised = { count: 0 };
  const serializers = {
    req: (req: { id: string }) => {
      serialised.count += 1;
      return { id: req.id };
    },
  };
  const root = withLazyChildren(pino({ level, base: { service: 'test' }, serializers }, stream));
  return { root, lines, serialised };
}

describe('withLazyChildren', () => {
  it('serialises a child’s bindings only when the child writes a line, and keeps them on every line', () => {
    const { root, lines, serialised } = rootLogger('warn');
    const child = root.child({ req: { id: 'r-1' } });
    child.info('not written at warn');
    child.debug('nor this');
    expect(child.isLevelEnabled('info')).toBe(false);
    expect(serialised.count).toBe(0);

    child.warn('written');
    child.error({ detail: 1 }, 'also written');
    expect(serialised.count).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, service: 'test', req: { id: 'r-1' }, msg: 'written' }),
      expect.objectContaining({ level: 50, service: 'test', req: { id: 'r-1' }, detail: 1, msg: 'also written' }),
    ]);
  });

  it('gives a child’s child both bindings, and a level set on a child is that child’s', () => {
    const { root, lines } = rootLogger('info');
    const child = root.child({ req: { id: 'r-2' } });
    const grandchild = child.child({ context: 'Problems' });
    grandchild.info('from the grandchild');
    child.level = 'debug';
    child.debug('from the child at debug');
    root.debug('not from the root');
    expect(lines).toEqual([
      expect.objectContaining({ req: { id: 'r-2' }, context: 'Problems', msg: 'from the grandchild' }),
      expect.objectContaining({ level: 20, req: { id: 'r-2' }, msg: 'from the child at debug' }),
    ]);
    expect(lines[1]).not.toHaveProperty('context');
  });

  it('makes a child with options at once, as pino does', () => {
    const { root, lines, serialised } = rootLogger('info');
    const child = root.child({ req: { id: 'r-3' } }, { level: 'warn' });
    expect(serialised.count).toBe(1);
    child.info('not written at warn');
    child.warn('written');
    expect(lines).toEqual([expect.objectContaining({ level: 40, req: { id: 'r-3' }, msg: 'written' })]);
  });
});
