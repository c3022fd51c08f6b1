import { randomBytes } from 'node:crypto';
import { PiiCipher } from './pii-cipher.js';

const key = () => randomBytes(32).toString('base64');

describe('PiiCipher', () => {
  const cipher = new PiiCipher(key(), key());

  it('round-trips a value and never stores it in clear', () => {
    const stored = cipher.encrypt('11010519491231002X', 'applicant.id_number');
    expect(stored).not.toContain('11010519491231002X');
    expect(stored.startsWith('v1.')).toBe(true);
    expect(cipher.decrypt(stored, 'applicant.id_number')).toBe('11010519491231002X');
  });

  it('uses a fresh nonce each time', () => {
    expect(cipher.encrypt('x', 'p')).not.toBe(cipher.encrypt('x', 'p'));
  });

  it('never hands out a nonce twice, across draws of its pool', () => {
    // 1,000 encryptions drain the pool of 256 nonces several times.
    const stored = Array.from({ length: 1_000 }, (_, i) => cipher.encrypt(`value ${i}`, 'p'));
    const nonces = stored.map((value) => value.split('.')[1]);
    expect(nonces.every((nonce) => Buffer.from(nonce!, 'base64').length === 12)).toBe(true);
    expect(new Set(nonces).size).toBe(stored.length);
    expect(stored.map((value) => cipher.decrypt(value, 'p'))).toEqual(stored.map((_, i) => `value ${i}`));
  });

  it('refuses a ciphertext under another purpose, key or with a changed byte', () => {
    const stored = cipher.encrypt('secret', 'applicant.name');
    expect(() => cipher.decrypt(stored, 'applicant.id_number')).toThrow();
    expect(() => new PiiCipher(key(), key()).decrypt(stored, 'applicant.name')).toThrow();
    const parts = stored.split('.');
    const body = Buffer.from(parts[3]!, 'base64');
    body[0] = body[0]! ^ 1;
    expect(() =>
      cipher.decrypt([parts[0], parts[1], parts[2], body.toString('base64')].join('.'), 'applicant.name'),
    ).toThrow();
  });

  it('hashes deterministically per key and purpose', () => {
    expect(cipher.lookupHash('a', 'id')).toBe(cipher.lookupHash('a', 'id'));
    expect(cipher.lookupHash('a', 'id')).not.toBe(cipher.lookupHash('a', 'other'));
    expect(new PiiCipher(key(), key()).lookupHash('a', 'id')).not.toBe(cipher.lookupHash('a', 'id'));
    expect(PiiCipher.sameHash(cipher.apiKeyHash('k'), cipher.apiKeyHash('k'))).toBe(true);
    expect(PiiCipher.sameHash(cipher.apiKeyHash('k'), cipher.apiKeyHash('l'))).toBe(false);
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => new PiiCipher(randomBytes(16).toString('base64'), key())).toThrow(/PII_ENCRYPTION_KEY/);
  });
});
