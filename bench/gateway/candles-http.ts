/**
 * `/api/candles` over real HTTP (undici `fetch` in this process → the gateway's node server):
 * 1,000 bars answered from the live-bar cache, beside `/healthz` over the same connection pool,
 * the HTTP round trip with no work behind it.
 */
import type { RunningGateway } from '../../app/gateway.ts';

export interface Quantiles {
  readonly p50: number;
  readonly p99: number;
}

export function quantiles(times: number[]): Quantiles {
  const s = [...times].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
  return { p50: q(0.5), p99: q(0.99) };
}

async function timed(calls: number, once: () => Promise<void>): Promise<Quantiles> {
  for (let i = 0; i < 30; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  return quantiles(times);
}

/**
 * Fills the gateway's live-bar cache with 1,500 one-minute bars of `symbol` up to the current
 * minute, then times `calls` requests for the latest 1,000 (checked to come from the cache).
 */
export async function candlesFromCache(
  gateway: RunningGateway,
  headers: Record<string, string>,
  symbol: string,
  calls: number,
): Promise<{ candles: Quantiles; healthz: Quantiles; bytes: number }> {
  const path = `${gateway.url}/api/candles?symbol=${symbol}&interval=1m&limit=1000`;
  const probe = (await (await fetch(path, { headers })).json()) as { exchange: string; symbol: string };
  const minuteUs = 60_000_000;
  const nowMinute = Math.floor((Date.now() * 1000) / minuteUs) * minuteUs;
  for (let i = 1499; i >= 0; i--) {
    const p = 60_000 + Math.sin(i / 30) * 500;
    gateway.liveBars.update({
      venue: probe.exchange,
      symbol: probe.symbol,
      period: '1m',
      openTimeUs: nowMinute - i * minuteUs,
      open: p.toFixed(2),
      high: (p + 12.5).toFixed(2),
      low: (p - 11.25).toFixed(2),
      close: (p + 3.1).toFixed(2),
      volume: (10 + (i % 17) * 0.37).toFixed(5),
      final: i > 0,
    });
  }
  let bytes = 0;
  const candles = await timed(calls, async () => {
    const res = await fetch(path, { headers });
    const body = await res.text();
    if (res.status !== 200 || res.headers.get('x-bars-from-cache') !== '1000')
      throw new Error(`/api/candles: ${res.status}, ${res.headers.get('x-bars-from-cache')} bars from cache`);
    bytes = body.length;
  });
  const healthz = await timed(calls, async () => {
    await (await fetch(`${gateway.url}/healthz`)).text();
  });
  return { candles, healthz, bytes };
}
