import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { VenueSimulatorConfig } from './config.ts';
import type { VenueData } from './data/load.ts';
import { createRestHandler } from './rest/router.ts';
import { runStreamSession } from './ws/session.ts';

/** A running simulator server. */
export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Parses a stream URL: `/stream?streams=a/b` (combined) or `/ws`, `/ws/<stream>[/<stream>]` (raw). */
export function parseStreamPath(url: URL): { combined: boolean; streams: string[] } | null {
  const split = (s: string): string[] => s.split('/').filter((x) => x.length > 0);
  if (url.pathname === '/stream' || url.pathname === '/stream/') {
    return { combined: true, streams: split(url.searchParams.get('streams') ?? '') };
  }
  if (url.pathname === '/ws' || url.pathname.startsWith('/ws/')) {
    return { combined: false, streams: split(url.pathname.slice(3)) };
  }
  return null;
}

/**
 * Starts one HTTP server that answers Binance REST paths and upgrades `/ws` and `/stream`
 * to websocket stream connections. Pings every client each `pingIntervalMs` and drops one
 * that has not answered the previous ping.
 */
export async function startSimulatorServer(
  data: VenueData,
  config: VenueSimulatorConfig,
  now: () => number,
): Promise<RunningServer> {
  const handleRest = createRestHandler(data, {
    market: config.market,
    weightLimit: config.weightLimit,
    now,
    ...(config.ipBan === undefined ? {} : { ban: config.ipBan }),
  });
  let resumeIndex = 0;
  const alive = new WeakMap<WebSocket, boolean>();
  const stops = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const r = handleRest(req.method ?? 'GET', url);
    res.writeHead(r.status, r.headers);
    res.end(req.method === 'HEAD' ? undefined : r.body);
  });
  const wss = new WebSocketServer({ noServer: true });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = parseStreamPath(new URL(req.url ?? '/', 'ws://simulator'));
    if (target === null) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      const stop = runStreamSession(ws, {
        messages: data.messages,
        combined: target.combined,
        streams: target.streams,
        speed: config.speed,
        loop: config.loop,
        faults: config.faults,
        maxIncomingPerSecond: config.maxIncomingPerSecond,
        startIndex: () => (config.resume === 'continue' ? resumeIndex : 0),
        onProgress: (next) => {
          if (next > resumeIndex) resumeIndex = next;
        },
      });
      stops.add(stop);
      ws.on('close', () => stops.delete(stop));
    });
  });

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, config.pingIntervalMs);
  pinger.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    close: async () => {
      clearInterval(pinger);
      for (const stop of stops) stop();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
