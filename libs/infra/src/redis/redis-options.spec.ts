import { redisOptions } from './redis-options.js';

describe('redisOptions', () => {
  it('lets workers wait for Redis forever, as BullMQ requires', () => {
    expect(redisOptions('redis://127.0.0.1:6379', 'worker').maxRetriesPerRequest).toBeNull();
  });

  it('makes producers fail fast instead of queueing commands while Redis is away', () => {
    const options = redisOptions('redis://127.0.0.1:6379', 'producer');
    expect(options.enableOfflineQueue).toBe(false);
    expect(options.maxRetriesPerRequest).toBe(1);
  });

  it('reads credentials, database and TLS from the URL', () => {
    const options = redisOptions('rediss://user:p%40ss@redis.internal:6380/2', 'client');
    expect(options).toMatchObject({ host: 'redis.internal', port: 6380, username: 'user', password: 'p@ss', db: 2 });
    expect(options.tls).toEqual({});
  });
});
