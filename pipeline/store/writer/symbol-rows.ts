/** Symbol registry rows: validation (zod) and staging layout. */
import type { DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { InvalidInputError } from '../../../core/errors.ts';
import { checkName } from '../layout.ts';
import type { SymbolRecord } from '../types.ts';
import type { StageColumns } from './staging.ts';

export const SYMBOL_STAGE: StageColumns = [
  ['exchange_id', 'VARCHAR'],
  ['market_id', 'VARCHAR'],
  ['venue_symbol', 'VARCHAR'],
  ['market_type', 'INTEGER'],
  ['description', 'VARCHAR'],
  ['columns', 'VARCHAR'],
  ['base_asset', 'VARCHAR'],
  ['quote_asset', 'VARCHAR'],
  ['earliest_time_us', 'DOUBLE'],
  ['tick_size', 'VARCHAR'],
  ['lot_size', 'VARCHAR'],
  ['supported_periods', 'VARCHAR'],
  ['status', 'VARCHAR'],
  ['contract_size', 'VARCHAR'],
  ['updated_us', 'DOUBLE'],
];

const noSep = z.string().refine((s) => !s.includes('\u001f'), 'must not contain the U+001F separator');

export const SymbolRecordSchema = z.object({
  exchangeId: z.string(),
  marketId: z.string(),
  venueSymbol: z.string(),
  marketType: z.number().int().min(0).max(4),
  description: z.string().default(''),
  columns: z.array(noSep).default([]),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  earliestTimeUs: z.number().int().nonnegative().default(0),
  tickSize: z.string().default(''),
  lotSize: z.string().default(''),
  supportedPeriods: z.array(noSep).default([]),
  status: z.string().default(''),
  contractSize: z.string().default(''),
});

/**
 * Validates symbol rows and lays them out as stage columns, grouped by venue. `stamp` gives each
 * row its `updated_us` (strictly increasing, so a later upsert, or a later row of one call, wins).
 */
export function encodeSymbols(rows: readonly unknown[], stamp: () => number): Map<string, DuckDBValue[][]> {
  const byVenue = new Map<string, DuckDBValue[][]>();
  rows.forEach((raw, i) => {
    const parsed = SymbolRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InvalidInputError(`symbols[${i}].${issue.path.join('.')}`, issue.message);
    }
    const r: SymbolRecord = parsed.data;
    checkName(`symbols[${i}].exchangeId`, r.exchangeId);
    checkName(`symbols[${i}].venueSymbol`, r.venueSymbol);
    let cols = byVenue.get(r.exchangeId);
    if (cols === undefined) {
      cols = SYMBOL_STAGE.map(() => []);
      byVenue.set(r.exchangeId, cols);
    }
    const values: DuckDBValue[] = [
      r.exchangeId,
      r.marketId,
      r.venueSymbol,
      r.marketType,
      r.description,
      r.columns.join('\u001f'),
      r.baseAsset,
      r.quoteAsset,
      r.earliestTimeUs,
      r.tickSize,
      r.lotSize,
      r.supportedPeriods.join('\u001f'),
      r.status,
      r.contractSize,
      stamp(),
    ];
    for (let k = 0; k < values.length; k++) cols[k]!.push(values[k]!);
  });
  return byVenue;
}
