import type { Readable } from 'node:stream';

/**
 * Reads a streamed response body (S3 GetObject) to its end under the call's signal. The SDK call
 * resolves with the headers; without this a server that stalls mid-body would hold the run, its
 * socket and its slot for as long as the connection stays open.
 */
export async function readBody(body: unknown, signal: AbortSignal): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const stream = body as Readable;
  // Destroying the stream ends the read below with the signal's reason and frees the socket.
  const abort = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('the call was aborted'));
  if (signal.aborted) abort();
  signal.addEventListener('abort', abort, { once: true });
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
