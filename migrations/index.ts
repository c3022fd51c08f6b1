import { Foundation1764403200000 } from './1764403200000-foundation.js';

/** Every migration in order, listed explicitly so the compiled and the TypeScript CLI run the same set. */
export const MIGRATIONS = [Foundation1764403200000] as const;
