import { z } from 'zod';
import { httpUrlSchema, wsUrlSchema } from './net.ts';

const symbolSchema = z.string().regex(/^[A-Z0-9_]+$/, 'expected a venue symbol like BTCUSDT (upper case)');

/** Defaults of one Binance market: its real public endpoints and a short symbol list. */
interface MarketDefaults {
  readonly name: string;
  readonly restBaseUrl: string;
  readonly wsBaseUrl: string;
  readonly symbols: readonly string[];
}

function binanceMarketSchema(d: MarketDefaults) {
  const schema = z
    .strictObject({
      enabled: z.boolean().default(true).describe(`Ingest Binance ${d.name}.`),
      restBaseUrl: httpUrlSchema.default(d.restBaseUrl).describe(`REST base URL of Binance ${d.name}.`),
      wsBaseUrl: wsUrlSchema.default(d.wsBaseUrl).describe(`WebSocket base URL of Binance ${d.name}.`),
      symbols: z
        .array(symbolSchema)
        .default([...d.symbols])
        .describe(`Venue symbols ingested from Binance ${d.name}.`),
    })
    .describe(`Binance ${d.name}.`);
  return schema.prefault({});
}

const binanceSchema = z
  .strictObject({
    spot: binanceMarketSchema({
      name: 'spot',
      restBaseUrl: 'https://api.binance.com',
      wsBaseUrl: 'wss://stream.binance.com:9443',
      symbols: ['BTCUSDT', 'ETHUSDT'],
    }),
    usdm: binanceMarketSchema({
      name: 'USD-M futures',
      restBaseUrl: 'https://fapi.binance.com',
      wsBaseUrl: 'wss://fstream.binance.com',
      symbols: ['BTCUSDT', 'ETHUSDT'],
    }),
    coinm: binanceMarketSchema({
      name: 'COIN-M futures',
      restBaseUrl: 'https://dapi.binance.com',
      wsBaseUrl: 'wss://dstream.binance.com',
      symbols: ['BTCUSD_PERP'],
    }),
  })
  .describe('Binance public market data (no key needed).');

const replaySchema = z
  .strictObject({
    sharedDataDir: z
      .string()
      .min(1)
      .default('../shared/data')
      .describe('Folder of recorded real market data replayed when live venues cannot be reached.'),
  })
  .describe('Replay of recorded data.');

/**
 * The `venues` section: where market data comes from.
 * Temporary home until `pipeline/venues/binance/config.ts` exists; the venue adapter takes it over.
 */
export const venuesConfigSchema = z
  .strictObject({
    source: z
      .enum(['auto', 'live', 'replay'])
      .default('auto')
      .describe('auto: live venues, replaying recorded data when they cannot be reached; live; replay.'),
    binance: binanceSchema.prefault({}),
    replay: replaySchema.prefault({}),
  })
  .describe('Market data sources.');

export type VenuesConfig = z.infer<typeof venuesConfigSchema>;
