import { QueryFailedError } from 'typeorm';
import { transientKindOf } from './transient-errors.js';

/** A pg DatabaseError as node-postgres raises it: a message and a SQLSTATE `code`. */
function pgError(code: string, message = 'error'): Error {
  return Object.assign(new Error(message), { code });
}

describe('transientKindOf', () => {
  it.each([
    ['serialization failure', pgError('40001'), 'contention'],
    ['deadlock', pgError('40P01'), 'contention'],
    ['lock not available', pgError('55P03'), 'contention'],
    ['admin shutdown', pgError('57P01'), 'unavailable'],
    ['cannot connect now', pgError('57P03'), 'unavailable'],
    ['too many connections', pgError('53300'), 'unavailable'],
    ['connection failure (class 08)', pgError('08006'), 'unavailable'],
    ['connection refused', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'unavailable'],
    ['dropped connection', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['pool wait timed out', new Error('timeout exceeded when trying to connect'), 'unavailable'],
    ['Redis offline', new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'unavailable'],
    ['Redis closed', new Error('Connection is closed.'), 'unavailable'],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], pgError('40P01')), 'contention'],
    ['as a cause', new Error('outer', { cause: pgError('57P01') }), 'unavailable'],
  ])('%s → %s', (_name, error, kind) => {
    expect(transientKindOf(error)).toBe(kind);
  });

  it.each([
    ['unique violation', pgError('23505')],
    ['invalid text representation', pgError('22P02')],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'oops'],
  ])('%s is not transient', (_name, error) => {
    expect(transientKindOf(error)).toBeUndefined();
  });
});
