// SHA-256 for SigV4, as the SDK's Node hash but with HMAC keys prepared once: Node re-validates a
// byte-array key on every createHmac (about 12 µs against 2.4 µs for a prepared KeyObject), and
// signing one request takes several HMACs, most with the same day's signing key.
import { type Hash, type Hmac, type KeyObject, createHash, createHmac, createSecretKey } from 'node:crypto';
import type { Checksum, SourceData } from '@smithy/types';

// Keyed by the key's own bytes object: the SDK keeps each derived signing key (one object per day,
// region and service) and passes that same object again; the entry goes when the SDK drops it.
const preparedKeys = new WeakMap<object, KeyObject>();

function prepared(secret: SourceData): string | KeyObject {
  // A string key (the secret access key, when the SDK derives or looks up a signing key) is
  // never kept: it is passed to Node as is, which is already the fast path for strings.
  if (typeof secret === 'string') return secret;
  let key = preparedKeys.get(secret);
  if (!key) {
    key = createSecretKey(ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret));
    preparedKeys.set(secret, key);
  }
  return key;
}

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

export class Sha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.start();
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }

  reset(): void {
    this.hash = this.start();
  }

  private start(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', prepared(this.secret));
  }
}
