import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Stored form: `v1.<base64 iv>.<base64 tag>.<base64 ciphertext>`; the version names the key derivation. */
const FORMAT = 'v1';
const IV_BYTES = 12;
/** IVs drawn from the CSPRNG per call: one call per 256 encryptions instead of one each. */
const IVS_PER_DRAW = 256;
const MIN_KEY_BYTES = 32;

/**
 * Encryption and keyed hashing of personal data (docs/architecture.md invariant 9). Resident ID numbers, names and the
 * application document are stored only as AES-256-GCM ciphertext (authenticated: a changed byte fails to decrypt);
 * lookups go through an HMAC-SHA256 of the normalised value, so the table never holds a plain or an unkeyed hash
 * that could be reversed by enumerating the 10^17 possible numbers.
 *
 * Every ciphertext is bound to its `purpose` (additional authenticated data): a value copied from one column to
 * another does not decrypt. Sub-keys are derived with HKDF so the configured secrets are never used directly.
 */
export class PiiCipher {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;
  private readonly apiKeyHashKey: Buffer;

  constructor(encryptionKeyBase64: string, hashKeyBase64: string) {
    const encryption = decodeKey(encryptionKeyBase64, 'PII_ENCRYPTION_KEY');
    const hash = decodeKey(hashKeyBase64, 'PII_HASH_KEY');
    this.encryptionKey = derive(encryption, 'minsheng pii aes-256-gcm v1');
    this.lookupKey = derive(hash, 'minsheng pii lookup hmac v1');
    this.apiKeyHashKey = derive(hash, 'minsheng portal api key hmac v1');
  }

  encrypt(plaintext: string, purpose: string): string {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(
      '.',
    );
  }

  /** @throws Error if the value was not produced by `encrypt` with this key and purpose. */
  decrypt(stored: string, purpose: string): string {
    const [format, iv, tag, ciphertext] = stored.split('.');
    if (format !== FORMAT || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new Error(`not a ${FORMAT} ciphertext`);
    }
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash for equality lookups of a normalised value (hex). */
  lookupHash(normalised: string, purpose: string): string {
    return createHmac('sha256', this.lookupKey).update(purpose).update('\0').update(normalised).digest('hex');
  }

  /**
   * Hash of a portal API key. Keys carry 256 random bits, so a fast keyed hash is enough (no password stretching):
   * the HMAC key keeps a stolen table useless without the configuration.
   */
  apiKeyHash(key: string): string {
    return createHmac('sha256', this.apiKeyHashKey).update(key).digest('hex');
  }

  /** Constant-time comparison of two hex hashes. */
  static sameHash(a: string, b: string): boolean {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
  }
}

let ivPool = Buffer.alloc(0);
let ivOffset = 0;

/**
 * A fresh random IV (GCM needs each IV once per key). Taken from a pool of CSPRNG bytes, each byte handed out once;
 * a drained pool is replaced by a new buffer, never refilled in place, so an IV given out never changes
 * (bench/profiles/intake.md "Request logging and the intake path (2026-12-07)": three encryptions per application).
 */
function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * IVS_PER_DRAW);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

function decodeKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length < MIN_KEY_BYTES) {
    throw new Error(`${name} must be at least ${MIN_KEY_BYTES} bytes, base64-encoded`);
  }
  return key;
}

function derive(secret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
}
