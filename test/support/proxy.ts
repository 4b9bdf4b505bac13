// A small forward proxy on loopback (absolute-form HTTP and CONNECT) that records what it carried.
import { type Server, createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  seen: Array<{ method: string; host: string; target?: string; service?: string }>;
  close(): Promise<void>;
}

export async function startProxy(): Promise<RecordingProxy> {
  const seen: RecordingProxy['seen'] = [];
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    const service = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(`${req.headers.authorization ?? ''}`)?.[1];
    seen.push({ method: req.method ?? 'GET', host: target.host, target: `${req.headers['x-amz-target'] ?? ''}`, service });
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    const [host, port] = (req.url ?? '').split(':');
    seen.push({ method: 'CONNECT', host: req.url ?? '' });
    const upstream = connect(Number(port), host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
