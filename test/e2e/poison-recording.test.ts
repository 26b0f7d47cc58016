/**
 * Issue 9's poison check: the real BTCUSDT spot recording with two of every three trade frames
 * broken (truncated, bad JSON, NaN, negative, zero, 400-digit, 61-decimal, exponent, missing or
 * wrong-typed fields, junk bytes) through `quantforge ingest`. The run must finish with exit 0,
 * store every intact trade and no broken one, store exactly the 1m bars of the intact trades
 * (computed here straight from their frames with exact decimals), and say how many frames it
 * refused. Re-run a failure with `QF_TEST_SEED=<seed>`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDecimal, PRODUCT_SCALE, parseDecimal } from '../../core/decimal/index.ts';
import { createLogger } from '../../core/logger.ts';
import { seededRandom } from '../../core/seeded-random.ts';
import { createStoreReader, parseStoreConfig } from '../../pipeline/store/index.ts';
import { BREAKAGES, breakTradeFrame } from '../../pipeline/venues/binance/testing/break-frames.ts';
import { readRecording } from '../../pipeline/venues/binance/testing/recordings.ts';
import { testRandom } from '../support/index.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/quantforge.mjs');
const { seed } = testRandom('poison recording');
const dir = mkdtempSync(join(tmpdir(), 'qf-poison-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface IntactTrade {
  readonly id: string;
  readonly price: string;
  readonly quantity: string;
  readonly timeMs: number;
  readonly buyerMaker: boolean;
}

/** The recording with two of every three trade frames broken; the intact trades and the broken count. */
function poisonedRecording(): { file: string; intact: IntactTrade[]; broken: number } {
  const random = seededRandom(seed);
  const frames = [
    ...readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
    ...readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
  ];
  const lines: Buffer[] = [];
  const intact: IntactTrade[] = [];
  let k = 0;
  let broken = 0;
  for (const f of frames) {
    let data: Buffer = Buffer.from(f.data);
    if (data.includes('@trade"')) {
      if (k % 3 === 0) {
        const t = (JSON.parse(data.toString('utf8')) as { data: Record<string, unknown> }).data;
        intact.push({
          id: String(t.t),
          price: formatDecimal(parseDecimal(t.p as string)),
          quantity: formatDecimal(parseDecimal(t.q as string)),
          timeMs: t.T as number,
          buyerMaker: t.m as boolean,
        });
      } else {
        data = breakTradeFrame(data, BREAKAGES[Math.floor(k / 3) % BREAKAGES.length]!, random);
        broken++;
      }
      k++;
    }
    lines.push(Buffer.from(`${BigInt(f.receivedAtUs) * 1000n} `), data, Buffer.from('\n'));
  }
  const file = join(dir, 'btcusdt_poisoned.gz');
  writeFileSync(file, gzipSync(Buffer.concat(lines)));
  return { file, intact, broken };
}

/** 1m bars of `trades` by a straightforward exact computation (time order = id order here). */
function referenceBars(trades: readonly IntactTrade[]): string[] {
  const bars = new Map<number, IntactTrade[]>();
  for (const t of trades) {
    const open = Math.floor(t.timeMs / 60_000) * 60_000;
    bars.set(open, [...(bars.get(open) ?? []), t]);
  }
  return [...bars.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([open, ts]) => {
      const prices = ts.map((t) => parseDecimal(t.price));
      const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
      const qty = ts.map((t) => parseDecimal(t.quantity));
      const takerBuy = ts.map((t, i) => (t.buyerMaker ? 0n : qty[i]!));
      return [
        open,
        formatDecimal(prices[0]!),
        formatDecimal(prices.reduce((a, b) => (b > a ? b : a))),
        formatDecimal(prices.reduce((a, b) => (b < a ? b : a))),
        formatDecimal(prices.at(-1)!),
        formatDecimal(sum(qty)),
        formatDecimal(sum(takerBuy)),
        ts.length,
        formatDecimal(sum(prices.map((p, i) => p * qty[i]!)), PRODUCT_SCALE),
      ].join(',');
    });
}

describe('a real recording with two of every three trade frames broken', () => {
  it('stores every intact trade and no broken one, exactly their bars, says what it refused, exits 0', {
    timeout: 300_000,
  }, async () => {
    const { file, intact, broken } = poisonedRecording();
    expect(broken).toBeGreaterThan(2 * intact.length - 2);
    const dataDir = join(dir, 'store');
    const { stdout } = await run(
      process.execPath,
      [BIN, 'ingest', '--venue', 'BINANCE', '--replay', file, '--data-dir', dataDir],
      { maxBuffer: 1 << 28 },
    ); // each refusal is logged, on stderr
    expect(stdout).toContain(`trades stored: ${intact.length} `);
    // Every broken frame is refused (dead-lettered with its reason), and nothing else is.
    expect(stdout).toMatch(
      new RegExp(`refused \\(dead-lettered with the reason, dlq\\.\\*\\): ${broken}\\b`),
    );

    const reader = await createStoreReader(
      { logger: createLogger({ name: 'test', level: 'silent' }) },
      parseStoreConfig({ dataDir }),
    );
    try {
      const stored = await reader.getTrades({
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        fromSeq: 1,
        limit: 1_000_000,
      });
      expect(stored.map((t) => [t.tradeId, t.price, t.quantity].join(','))).toEqual(
        intact.map((t) => [t.id, t.price, t.quantity].join(',')),
      );
      const bars = await reader.getBars({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1m', fromUs: 0 });
      expect(
        bars.map((b) =>
          [
            b.openTimeUs / 1000,
            b.open,
            b.high,
            b.low,
            b.close,
            b.volume,
            b.takerBuyVolume,
            b.tradeCount,
            b.quoteVolume,
          ].join(','),
        ),
      ).toEqual(referenceBars(intact));
    } finally {
      reader.close();
    }
  });
});
