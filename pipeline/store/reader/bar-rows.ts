/** Result columns of bar queries into typed bars. */
import type { DuckDBValue } from '@duckdb/node-api';
import { decimalValueToString as dec } from '../decimal.ts';
import type { StoredBar } from '../types.ts';
import type { Columns } from './query-runner.ts';

/** Turns result columns (BAR_OUTPUT_SQL order) into bars. */
export function toBars(period: string, c: Columns, reverse = false): StoredBar[] {
  const n = c[0]?.length ?? 0;
  const out: StoredBar[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const j = reverse ? n - 1 - i : i;
    const v = (k: number): DuckDBValue => c[k]![j]!;
    out[i] = {
      period,
      openTimeUs: v(0) as number,
      closeTimeUs: v(1) as number,
      open: dec(v(2)),
      high: dec(v(3)),
      low: dec(v(4)),
      close: dec(v(5)),
      volume: dec(v(6)),
      takerBuyVolume: dec(v(7)),
      makerVolume: dec(v(8)),
      tradeCount: v(9) as number,
      quoteVolume: dec(v(10)),
      takerBuyQuoteVolume: dec(v(11)),
      revision: v(12) as number,
      final: v(13) as boolean,
      firstSeq: v(14) as number,
      lastSeq: v(15) as number,
    };
  }
  return out;
}
