// Server-sent events on a reply, for live progress of a run.
import type { FastifyReply } from 'fastify';

export interface EventStream {
  /** Whether the head is written: from then on the answer can only be more events. */
  readonly opened: boolean;
  send(event: string, data: unknown, preSerialised?: boolean): void;
  end(): void;
}

/**
 * An event stream that opens (takes over the reply and writes its head) with its first event:
 * until then the reply can still be a plain answer, so a refusal before any probe is a 400.
 */
export function eventStream(reply: FastifyReply): EventStream {
  let id = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  const open = () => {
    reply.hijack();
    // The stream writes its own head, past Fastify's onSend hooks: it keeps every header the hooks
    // have set by now (CORS, rate limit), or a page on another origin could not read it.
    const set = Object.entries(reply.getHeaders()).filter(([name, value]) => value !== undefined && name !== 'content-length');
    reply.raw.writeHead(200, {
      ...Object.fromEntries(set),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // A comment now and then keeps proxies from closing a quiet stream.
    heartbeat = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  };
  return {
    get opened() {
      return heartbeat !== undefined;
    },
    send(event, data, preSerialised = false) {
      if (heartbeat === undefined) open();
      if (reply.raw.writableEnded) return;
      id += 1;
      reply.raw.write(`id: ${id}\nevent: ${event}\ndata: ${preSerialised ? (data as string) : JSON.stringify(data)}\n\n`);
    },
    end() {
      if (heartbeat === undefined) return;
      clearInterval(heartbeat);
      if (!reply.raw.writableEnded) reply.raw.end();
    },
  };
}
