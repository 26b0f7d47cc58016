import { z } from 'zod';

const speed = z.union([z.literal('max'), z.number().positive()]);

/** A recorded data.binance.vision CSV the REST endpoints serve for one symbol. */
const csvSource = z.object({
  /** Venue symbol, e.g. XRPETH. */
  symbol: z.string().regex(/^[A-Z0-9_]+$/, 'upper-case venue symbol such as BTCUSDT'),
  /** `trades` (individual executions), `aggTrades`, or `klines` (served as recorded). */
  kind: z.enum(['trades', 'aggTrades', 'klines']),
  /** Interval of a `klines` file (longer intervals are aggregated from it). */
  interval: z.string().default('1m'),
  path: z.string().min(1),
});

/** Conditions a real connection meets, injected per simulator instance. */
const faults = z.object({
  /** Close the socket abruptly (no close frame) after this many data frames on a connection. */
  dropAfter: z.number().int().positive().optional(),
  /** Send every data frame twice. */
  duplicate: z.boolean().default(false),
  /** Shuffle data frames within windows of this many frames (1 = off). */
  reorderWindow: z.number().int().positive().default(1),
  /** Seed of the reorder shuffle, so a failing test replays the same order. */
  seed: z.number().int().default(1),
});

/**
 * Configuration of the Binance venue simulator. Every data source is a recorded real file;
 * nothing is invented except aggregate-trade grouping (see README of the factory).
 */
export const venueSimulatorConfigSchema = z.object({
  /** Which Binance API the simulator speaks: spot (`/api/v3`) or USD-M futures (`/fapi/v1`). */
  market: z.enum(['spot', 'usdm']).default('spot'),
  host: z.string().default('127.0.0.1'),
  /** 0 = any free port. */
  port: z.number().int().min(0).max(65535).default(0),
  /**
   * Websocket captures, read in order as one stream: hftbacktest recordings (`<recv_ns> <json>`
   * lines, gzip) or cryptofeed captures (`<recv s>: <json>`), told apart by their first bytes.
   * Their `@trade` and `@aggTrade` messages also feed the REST trade endpoints.
   */
  wsRecordings: z.array(z.string().min(1)).default([]),
  /** CSV trade files for REST (they win over trades taken from the recordings). */
  csv: z.array(csvSource).default([]),
  /** A recorded `exchangeInfo` response body (JSON file). */
  exchangeInfo: z.string().min(1).optional(),
  /** WS replay speed: a factor of venue time, or `max`. */
  speed: speed.default(1),
  /** Restart the recording when it ends (trade ids then repeat). */
  loop: z.boolean().default(false),
  /**
   * Where a new connection starts: `continue` from the furthest point any connection reached
   * (like a live venue: a reconnect misses nothing it had not already been sent, nor gets it
   * twice), or `restart` from the beginning of the recording.
   */
  resume: z.enum(['continue', 'restart']).default('continue'),
  /** Server ping interval (Binance spot: 20 s); a client silent for two intervals is dropped. */
  pingIntervalMs: z.number().int().positive().default(20_000),
  /**
   * Incoming messages (requests, pings, pongs) a connection may send per second before it is
   * disconnected, as Binance does (spot: 5).
   */
  maxIncomingPerSecond: z.number().int().positive().default(5),
  /** REST request weight allowed per minute before 429 (Binance spot: 6000). */
  weightLimit: z.number().int().positive().default(6000),
  /**
   * Ban a client (HTTP 418 + Retry-After) that sends more than `afterRejections` requests
   * refused with 429 in one minute, for `durationMs` (Binance: 2 minutes and up). Off when absent.
   */
  ipBan: z
    .object({
      afterRejections: z.number().int().nonnegative(),
      durationMs: z.number().int().positive().default(120_000),
    })
    .optional(),
  faults: faults.default({ duplicate: false, reorderWindow: 1, seed: 1 }),
});

export type VenueSimulatorConfig = z.infer<typeof venueSimulatorConfigSchema>;
export type VenueSimulatorConfigInput = z.input<typeof venueSimulatorConfigSchema>;
export type SimulatorFaults = z.infer<typeof faults>;
