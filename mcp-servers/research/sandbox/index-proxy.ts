/**
 * The only way out of a pip run's sandbox: an HTTP CONNECT proxy on a unix socket that tunnels to
 * the package index's hosts on port 443 and refuses everything else (other hosts, other ports, IP
 * literals, plain HTTP requests). The sandbox keeps its own empty network namespace; a small
 * bridge inside (python/qf_pip.py) relays pip's proxy connections to this socket, which is bound
 * into the sandbox. TLS stays end to end between pip and the index: the proxy sees host names only.
 */
import { chmod } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';

/** The hosts pip needs: the index's pages and its files. */
export const PACKAGE_INDEX_HOSTS: readonly string[] = ['pypi.org', 'files.pythonhosted.org'];

/** A running proxy. */
export interface IndexProxy {
  readonly socketPath: string;
  /** `host:port` of every CONNECT refused so far, for the run's report. */
  readonly refused: readonly string[];
  close(): Promise<void>;
}

/** `host:port` of a CONNECT request target, lowercased; null when it is not one. */
export function parseConnectTarget(target: string | undefined): { host: string; port: number } | null {
  const m = /^([A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(target ?? '');
  if (m === null) return null;
  return { host: m[1]!.toLowerCase(), port: Number(m[2]) };
}

/** Whether a tunnel to `target` is allowed: one of `hosts` by name, port 443. */
export function isAllowedTarget(
  target: { host: string; port: number } | null,
  hosts: readonly string[],
): boolean {
  return target !== null && target.port === 443 && hosts.includes(target.host);
}

function refuse(socket: Socket, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Listens on `socketPath` (made connectable by any uid: the sandbox runs as another one).
 *
 * @example
 * const proxy = await startIndexProxy({ socketPath: join(runDir, 'proxy.sock') });
 * try { ... } finally { await proxy.close(); }
 */
export async function startIndexProxy(options: {
  readonly socketPath: string;
  readonly hosts?: readonly string[];
}): Promise<IndexProxy> {
  const hosts = (options.hosts ?? PACKAGE_INDEX_HOSTS).map((h) => h.toLowerCase());
  const refused: string[] = [];
  const open = new Set<Socket>();
  const server = createServer((req, res) => {
    // Only tunnels: a plain request would be an unencrypted fetch through us.
    refused.push(req.url ?? '');
    res.writeHead(405, { Connection: 'close' }).end();
  });
  server.on('connect', function tunnel(req: IncomingMessage, client: Socket, head: Buffer) {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    const target = parseConnectTarget(req.url);
    if (!isAllowedTarget(target, hosts)) {
      refused.push(req.url ?? '');
      refuse(client, '403 Forbidden');
      return;
    }
    const upstream = connect({ host: target!.host, port: target!.port });
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (client.writable && upstream.connecting) refuse(client, '502 Bad Gateway');
      else client.destroy();
    });
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, resolve);
  });
  await chmod(options.socketPath, 0o666);
  return {
    socketPath: options.socketPath,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
