import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { recordedData } from '../../../test/support/index.ts';
import { SPOT_WS_FILES, USDM_WS_FILE } from '../replay/testing/index.ts';
import type { VenueSimulatorConfigInput } from './config.ts';
import { createVenueSimulator } from './index.ts';
import { connectClient } from './test-client.ts';

const FILE = SPOT_WS_FILES[1]!;
const TRADES = gunzipSync(readFileSync(FILE))
  .toString('utf8')
  .split('\n')
  .map((line) => line.slice(line.indexOf(' ') + 1))
  .filter((json) => json.startsWith('{"stream":"btcusdt@trade",'));

async function withSimulator(
  config: VenueSimulatorConfigInput,
  run: (wsUrl: string, restUrl: string) => Promise<void>,
) {
  const sim = createVenueSimulator({}, config);
  await sim.start();
  try {
    await run(sim.wsUrl, sim.restUrl);
  } finally {
    await sim.stop();
  }
}

describe('venue simulator faults', () => {
  it('drops the connection after N frames; a reconnect continues where the venue was', async () => {
    await withSimulator({ wsRecordings: [FILE], speed: 'max', faults: { dropAfter: 25 } }, async (wsUrl) => {
      const first = await connectClient(`${wsUrl}/stream?streams=btcusdt@trade`);
      await first.closed;
      expect(first.frames).toEqual(TRADES.slice(0, 25));
      const second = await connectClient(`${wsUrl}/stream?streams=btcusdt@trade`);
      await second.closed;
      // The venue moved on while the client was away: the next frames are later trades, none repeated.
      const firstNew = TRADES.indexOf(second.frames[0]!);
      expect(firstNew).toBeGreaterThanOrEqual(25);
      expect(second.frames).toEqual(TRADES.slice(firstNew, firstNew + 25));
    });
  });

  it('sends every frame twice when duplicating', async () => {
    await withSimulator(
      { wsRecordings: [FILE], speed: 'max', faults: { duplicate: true } },
      async (wsUrl) => {
        const client = await connectClient(`${wsUrl}/stream?streams=btcusdt@trade`);
        const frames = await client.waitFor(40);
        client.close();
        expect(frames).toEqual(TRADES.slice(0, 20).flatMap((f) => [f, f]));
      },
    );
  });

  it('reorders within a window: same frames, other order, reproducible from the seed', async () => {
    const config = { wsRecordings: [FILE], speed: 'max' as const, faults: { reorderWindow: 10, seed: 7 } };
    const orders: string[][] = [];
    for (let i = 0; i < 2; i++) {
      await withSimulator(config, async (wsUrl) => {
        const client = await connectClient(`${wsUrl}/stream?streams=btcusdt@trade`);
        orders.push(await client.waitFor(30));
        client.close();
      });
    }
    const [a, b] = orders as [string[], string[]];
    expect(a).toEqual(b);
    expect(a).not.toEqual(TRADES.slice(0, 30));
    for (let w = 0; w < 3; w++) {
      expect([...a.slice(w * 10, w * 10 + 10)].sort()).toEqual([...TRADES.slice(w * 10, w * 10 + 10)].sort());
    }
  });
});

describe('venue simulator, USD-M', () => {
  it('speaks /fapi/v1 and streams the futures recording', async () => {
    await withSimulator(
      { market: 'usdm', wsRecordings: [USDM_WS_FILE], speed: 'max' },
      async (wsUrl, restUrl) => {
        const k = (await (
          await fetch(`${restUrl}/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1`)
        ).json()) as unknown[][];
        expect(k).toHaveLength(1);
        expect(k[0]![0]).toBe(Date.UTC(2024, 7, 8, 23, 59));
        const agg = (await (
          await fetch(`${restUrl}/fapi/v1/aggTrades?symbol=BTCUSDT&limit=1`)
        ).json()) as object[];
        expect(Object.keys(agg[0]!)).toEqual(['a', 'p', 'q', 'f', 'l', 'T', 'm']);
        expect((await fetch(`${restUrl}/api/v3/ping`)).status).toBe(404);
        const client = await connectClient(`${wsUrl}/ws/btcusdt@trade`);
        const [first] = await client.waitFor(1);
        client.close();
        expect(JSON.parse(first!)).toMatchObject({ e: 'trade', t: 5266583935, X: 'MARKET' });
      },
    );
  });
});

describe('venue simulator incoming-message limit', () => {
  it('disconnects a client sending more requests per second than allowed', async () => {
    await withSimulator({ wsRecordings: [FILE], speed: 'max', maxIncomingPerSecond: 2 }, async (wsUrl) => {
      const client = await connectClient(`${wsUrl}/ws`);
      const code = new Promise<number>((resolve) => client.socket.once('close', (c) => resolve(c)));
      for (let id = 1; id <= 5; id++)
        client.socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id }));
      expect(await code).toBe(1008);
      expect(client.frames.filter((f) => f.includes('"result"')).length).toBeLessThanOrEqual(2);
    });
  });
});

describe('venue simulator keep-alive', () => {
  it('pings clients and drops one that stops answering', async () => {
    await withSimulator({ wsRecordings: [FILE], speed: 'max', pingIntervalMs: 50 }, async (wsUrl) => {
      const answering = new WebSocket(`${wsUrl}/ws`);
      const silent = new WebSocket(`${wsUrl}/ws`, { autoPong: false });
      const pinged = new Promise<void>((resolve) => answering.once('ping', () => resolve()));
      const dropped = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
      await pinged;
      // 1006: closed without a close frame, as a terminated TCP connection looks.
      expect(await dropped).toBe(1006);
      expect(answering.readyState).toBe(WebSocket.OPEN);
      answering.close();
    });
  });
});

describe('venue simulator fed by a cryptofeed capture', () => {
  const CAPTURE = recordedData('ws-messages', 'cryptofeed-BINANCE_FUTURES.ws.1.0.txt');
  const lines = readFileSync(CAPTURE, 'utf8')
    .split('\n')
    .map((l) => l.slice(l.indexOf(': ') + 2));

  it('streams its kline frames byte for byte and serves its aggTrades over REST', async () => {
    await withSimulator({ market: 'usdm', wsRecordings: [CAPTURE], speed: 'max' }, async (wsUrl, restUrl) => {
      const klines = lines.filter((l) => l.startsWith('{"stream":"ctkusdt@kline_1m"'));
      const client = await connectClient(`${wsUrl}/stream?streams=ctkusdt@kline_1m`);
      expect(await client.waitFor(32)).toEqual(klines);
      client.close();
      const agg = (await (
        await fetch(`${restUrl}/fapi/v1/aggTrades?symbol=SUSHIUSDT&limit=1000`)
      ).json()) as Array<{
        a: number;
      }>;
      const recorded = lines
        .filter((l) => l.startsWith('{"stream":"sushiusdt@aggTrade"'))
        .map((l) => (JSON.parse(l) as { data: { a: number } }).data.a);
      expect(agg.map((x) => x.a)).toEqual(recorded);
    });
  });
});
