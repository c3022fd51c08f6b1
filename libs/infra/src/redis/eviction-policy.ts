import { type Redis } from 'ioredis';

export type EvictionVerdict = { ok: true; policy: string } | { ok: false; policy: string; reason: string };

/**
 * BullMQ keeps queued work in Redis keys: an evicting `maxmemory-policy` silently deletes jobs under memory
 * pressure, so only `noeviction` keeps the promise that nothing submitted is lost.
 */
export async function checkEvictionPolicy(redis: Redis): Promise<EvictionVerdict> {
  let policy = 'unknown';
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1] ?? 'unknown';
  } catch (error) {
    return { ok: false, policy, reason: `cannot read maxmemory-policy: ${(error as Error).message}` };
  }
  return policy === 'noeviction'
    ? { ok: true, policy }
    : { ok: false, policy, reason: `maxmemory-policy is ${policy}; queue keys may be evicted (use noeviction)` };
}
