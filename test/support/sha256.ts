// The hash constructor @smithy/signature-v4 wants, on node:crypto: SHA-256, or HMAC-SHA-256 when
// given a key. Tests and the benchmark sign raw requests with it.
import { type Hash, type Hmac, createHash, createHmac } from 'node:crypto';
import type { SourceData } from '@smithy/types';

const bytes = (data: SourceData) => (typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));

export class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
