import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { sharedDataDir } from '../reference-data.ts';
import type { IndicatorInput } from '../types.ts';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'talib-heldout.json.gz');

const fixtureSchema = z.object({
  talib: z.object({ python: z.string(), c: z.string() }),
  significantDigits: z.number().int(),
  series: z.array(
    z.object({
      name: z.enum(['XRPETH-1m', 'BTCUSDT-1s']),
      source: z.string(),
      rows: z.number().int(),
      cases: z.array(
        z.object({
          indicator: z.string(),
          params: z.record(z.string(), z.number()),
          /** registry output column -> TA-Lib column label */
          outputs: z.record(z.string(), z.string()),
        }),
      ),
      /** TA-Lib column label -> values; null inside TA-Lib's lookback */
      columns: z.record(z.string(), z.array(z.number().nullable())),
    }),
  ),
});

/** One registry call checked against TA-Lib output columns. */
export interface HeldoutCase {
  readonly indicator: string;
  readonly params: Readonly<Record<string, number>>;
  /** registry output column -> [TA-Lib label, TA-Lib values with NaN in the lookback] */
  readonly outputs: ReadonlyArray<readonly [output: string, label: string, expected: Float64Array]>;
}

export interface HeldoutSeries {
  readonly name: string;
  readonly input: IndicatorInput;
  readonly cases: readonly HeldoutCase[];
}

export interface TalibHeldout {
  /** TA-Lib C library and Python wrapper versions that produced the fixture. */
  readonly talib: { readonly python: string; readonly c: string };
  readonly significantDigits: number;
  readonly series: readonly HeldoutSeries[];
}

/** XRP/ETH 1m candles (freqtrade, from aggTrades), every row of the file. */
function xrpeth1m(file: string): IndicatorInput {
  const rows = readFileSync(file, 'utf8').trimEnd().split('\n').slice(1);
  const cols = { time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[] };
  const close: number[] = [];
  const volume: number[] = [];
  for (const row of rows) {
    const [t, o, h, l, c, v] = row.split(',').map(Number);
    cols.time.push(t! * 1000);
    cols.open.push(o!);
    cols.high.push(h!);
    cols.low.push(l!);
    close.push(c!);
    volume.push(v!);
  }
  return { ...cols, close, volume };
}

/**
 * BTCUSDT spot trades aggregated to 1-second candles: first/max/min/last price, qty summed
 * left to right in file order; seconds without a trade are absent. Same steps as the
 * Python generator, so both sides see the same doubles.
 */
function btcusdt1s(file: string): IndicatorInput {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
  const time: number[] = [];
  const open: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  const close: number[] = [];
  const volume: number[] = [];
  let second = Number.NaN;
  for (const line of lines) {
    const cells = line.split(',');
    const price = Number(cells[1]);
    const qty = Number(cells[2]);
    const s = Math.floor(Number(cells[4]) / 1000);
    const k = close.length - 1;
    if (s === second) {
      high[k] = Math.max(high[k]!, price);
      low[k] = Math.min(low[k]!, price);
      close[k] = price;
      volume[k] = volume[k]! + qty;
    } else {
      second = s;
      time.push(s * 1_000_000);
      open.push(price);
      high.push(price);
      low.push(price);
      close.push(price);
      volume.push(qty);
    }
  }
  return { time, open, high, low, close, volume };
}

const BUILDERS: Record<'XRPETH-1m' | 'BTCUSDT-1s', (file: string) => IndicatorInput> = {
  'XRPETH-1m': xrpeth1m,
  'BTCUSDT-1s': btcusdt1s,
};

/**
 * The current TA-Lib release's outputs on held-out real candles
 * (`indicators/reference/talib-heldout.json.gz`, made by `make-talib-fixture.py`), with
 * the input candles rebuilt from `../shared/data`. Used by tests only.
 */
export function loadTalibHeldout(): TalibHeldout {
  const doc = fixtureSchema.parse(JSON.parse(gunzipSync(readFileSync(FIXTURE)).toString('utf8')));
  const series = doc.series.map((s): HeldoutSeries => {
    const input = BUILDERS[s.name](path.join(sharedDataDir(), s.source));
    const columns = new Map(
      Object.entries(s.columns).map(([label, values]) => [
        label,
        Float64Array.from(values, (v) => v ?? Number.NaN),
      ]),
    );
    const cases = s.cases.map(
      (c): HeldoutCase => ({
        indicator: c.indicator,
        params: c.params,
        outputs: Object.entries(c.outputs).map(([output, label]) => {
          const expected = columns.get(label);
          if (expected === undefined) throw new Error(`${s.name}: no TA-Lib column ${label}`);
          return [output, label, expected] as const;
        }),
      }),
    );
    if (input.close?.length !== s.rows) {
      throw new Error(`${s.name}: rebuilt ${input.close?.length} candles, the fixture has ${s.rows}`);
    }
    return { name: s.name, input, cases };
  });
  return { talib: doc.talib, significantDigits: doc.significantDigits, series };
}
