/**
 * A local Binance venue that replays recorded real data over Binance's own protocol, so
 * the Binance adapter (and ccxt) talk to it unchanged with only their base URLs changed.
 *
 * - WS: `/stream?streams=a/b` (combined frames, the recorded bytes unchanged), `/ws/<stream>`
 *   (raw: the recorded `data` bytes), live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS,
 *   server pings, venue-time pacing (`speed`), and injectable faults (drop, duplicate, reorder).
 * - REST (`/api/v3` spot or `/fapi/v1` USD-M): ping, time, exchangeInfo (recorded; `symbol`/
 *   `symbols` filters), depth (the recorded snapshot), klines (built from recorded trades),
 *   trades, historicalTrades, aggTrades; Binance weights, `X-MBX-USED-WEIGHT-1M`, 429 +
 *   `Retry-After` past the limit, Binance error bodies.
 *
 * @example
 * const sim = createVenueSimulator({}, { wsRecordings: files, exchangeInfo, speed: 'max' });
 * await sim.start();
 * const venue = createBinanceVenue(deps, { wsBaseUrl: sim.wsUrl, restBaseUrl: sim.restUrl });
 */
import { InvalidInputError } from '../../../core/errors.ts';
import { type VenueSimulatorConfigInput, venueSimulatorConfigSchema } from './config.ts';
import { loadVenueData } from './data/load.ts';
import { type RunningServer, startSimulatorServer } from './server.ts';

export type { SimulatorFaults, VenueSimulatorConfig, VenueSimulatorConfigInput } from './config.ts';
export { venueSimulatorConfigSchema } from './config.ts';
export { BinanceApiRejection } from './errors.ts';
export { buildKlines, KLINE_INTERVALS, type KlineRow } from './rest/klines.ts';

/** What the simulator is handed: a clock (for serverTime and the weight window). */
export interface VenueSimulatorDeps {
  readonly now?: () => number;
}

/** A running (or startable) simulated venue. URLs are known once `start` resolves. */
export interface VenueSimulator {
  /** `ws://127.0.0.1:<port>`: append `/ws/<stream>` or `/stream?streams=…` as for Binance. */
  readonly wsUrl: string;
  /** `http://127.0.0.1:<port>`: append `/api/v3/…` (spot) or `/fapi/v1/…` (USD-M). */
  readonly restUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds a simulator; config is checked here (bad input throws naming the key), files are read by `start`. */
export function createVenueSimulator(
  deps: VenueSimulatorDeps,
  config: VenueSimulatorConfigInput,
): VenueSimulator {
  const parsed = venueSimulatorConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`simulator.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
  }
  const cfg = parsed.data;
  const now = deps.now ?? Date.now;
  let running: RunningServer | null = null;
  const base = (scheme: string): string => {
    if (running === null) throw new Error('venue simulator: URLs are known after start() resolves');
    return `${scheme}://${cfg.host}:${running.port}`;
  };
  return {
    get wsUrl() {
      return base('ws');
    },
    get restUrl() {
      return base('http');
    },
    async start() {
      if (running !== null) return;
      const data = await loadVenueData(cfg);
      running = await startSimulatorServer(data, cfg, now);
    },
    async stop() {
      const r = running;
      running = null;
      await r?.close();
    },
  };
}
