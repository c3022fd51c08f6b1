import { type Bindings, type ChildLoggerOptions, type Logger } from 'pino';

const noop = (): void => undefined;

type MakeChild = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;

/**
 * Makes the children of `root` (and theirs) lazy: a child made without options serialises and redacts its
 * bindings when it first writes a line, not when it is made. pino-http makes one child per request with the request
 * bound; most requests never write a line through it below `info`, and at `info` only the completion line does
 * (bench/profiles/intake.md "Request logging and the intake path (2026-12-07)"). Every line written carries the
 * same bindings as before; a level that is off answers with a no-op without making the child.
 */
export function withLazyChildren<L extends Logger>(root: L): L {
  // pino types `child` generically over custom levels; none are used here.
  const eagerChild = root.child as unknown as MakeChild;
  function child(this: Logger, bindings: Bindings, options?: ChildLoggerOptions): Logger {
    // pino-http's one child with its options (serializers, redaction) is made at start: made eagerly, as before.
    if (options !== undefined) return eagerChild.call(this, bindings, options);
    return lazyChild(this, () => eagerChild.call(this, bindings));
  }
  Object.defineProperty(root, 'child', { value: child, writable: true, configurable: true });
  return root;
}

function lazyChild(parent: Logger, make: () => Logger): Logger {
  let made: Logger | undefined;
  const real = () => (made ??= make());
  return new Proxy(parent, {
    get(target, key) {
      if (made === undefined) {
        // The child's level is its parent's until the child is changed, which makes it.
        if (key === 'isLevelEnabled') return target.isLevelEnabled.bind(target);
        if (typeof key === 'string' && key in target.levels.values && !target.isLevelEnabled(key)) return noop;
      }
      const logger = real();
      const value: unknown = Reflect.get(logger, key, logger);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
    },
    set(_target, key, value) {
      return Reflect.set(real(), key, value);
    },
  });
}
