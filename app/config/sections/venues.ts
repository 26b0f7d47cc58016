import { z } from 'zod';
import { type BinanceConfigInput, binanceConfigSchema } from '../../../pipeline/venues/binance/config.ts';
import { ccxtVenueConfigSchema } from '../../../pipeline/venues/ccxt/config.ts';

/** The markets ingested when config.yaml names none: a short list on Binance spot. */
const DEFAULT_BINANCE: readonly BinanceConfigInput[] = [{ market: 'spot', symbols: ['BTCUSDT', 'ETHUSDT'] }];

const replaySchema = z
  .strictObject({
    sharedDataDir: z
      .string()
      .min(1)
      .default('../shared/data')
      .describe('Folder of recorded real market data replayed when live venues cannot be reached.'),
    speed: z
      .number()
      .positive()
      .default(1)
      .describe('Replay pace as a factor of venue time: 1 as recorded, 10 ten times faster (demos, tests).'),
  })
  .describe('Replay of recorded data.');

/**
 * The `venues` section: where market data comes from. Each adapter owns its entry schema
 * (`pipeline/venues/binance/config.ts`, `pipeline/venues/ccxt/config.ts`); this composes them with the choice of source.
 */
export const venuesConfigSchema = z
  .strictObject({
    source: z
      .enum(['auto', 'live', 'replay'])
      .default('auto')
      .describe('auto: live venues, replaying recorded data when they cannot be reached; live; replay.'),
    binance: z
      .array(binanceConfigSchema)
      .default(() => DEFAULT_BINANCE.map((entry) => binanceConfigSchema.parse(entry)))
      .describe(
        'Binance markets to ingest, one entry per market (spot, usdm, coinm); base URLs default to the real public endpoints.',
      ),
    ccxt: z
      .array(ccxtVenueConfigSchema)
      .default([])
      .describe('Other exchanges through ccxt (symbol metadata and REST history), one entry per exchange.'),
    replay: replaySchema.prefault({}),
  })
  .describe('Market data sources.');

export type VenuesConfig = z.infer<typeof venuesConfigSchema>;
