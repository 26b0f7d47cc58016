/**
 * Fuzzes the Binance normalizer with REAL frames (../shared/data: the spot and USD-M websocket
 * recordings and the recorded stream samples), broken in every named way and mutated blindly
 * byte by byte, from a printed seed. Each frame goes through `handleBatch` as a raw envelope
 * (the byte path and the parsed path both get their turn) and must come out either as one valid
 * trade — price and quantity > 0, canonical, within the stored shape, quote quantity exact — or
 * as a dead letter with a code and a reason; never thrown out of the stage. Re-run a failure with
 * `QF_TEST_SEED=<seed> npx vitest run pipeline/venues/binance/normalize/fuzz.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { EnvelopeCodec, EventType, TradeCodec } from '../../../../proto/index.ts';
import { testRandom } from '../../../../test/support/index.ts';
import type { BusMessage } from '../../../bus/types.ts';
import { checkTradeValues, isTradeValueFailure } from '../../trade-values.ts';
import { createBinanceNormalizer } from '../normalizer.ts';
import { BREAKAGES, breakTradeFrame, mutateBytes } from '../testing/break-frames.ts';
import { createCaptureBus, readCryptoMsgParserSamples, readRecording } from '../testing/recordings.ts';

const { seed, next: random } = testRandom('binance normalizer fuzz');

interface Source {
  readonly venue: string;
  readonly stream: 'trade' | 'aggTrade';
  readonly frames: Buffer[];
}

/** Trade frames of a recording (a spread sample, so every part of the file is seen). */
function tradeFrames(every: number, ...file: string[]): Buffer[] {
  return readRecording(...file)
    .map((f) => Buffer.from(f.data))
    .filter((b) => b.includes('@trade"'))
    .filter((_, i) => i % every === 0);
}

const SOURCES: Source[] = [
  {
    venue: 'BINANCE',
    stream: 'trade',
    frames: tradeFrames(7, 'binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
  },
  {
    venue: 'BINANCE_USDM',
    stream: 'trade',
    frames: tradeFrames(15, 'binance-ws-recorded', 'usdm', 'btcusdt_20240808.gz'),
  },
  {
    venue: 'BINANCE',
    stream: 'aggTrade',
    frames: readCryptoMsgParserSamples()
      .filter((s) => JSON.stringify(s.message).includes('"e":"aggTrade"') && s.market === 'spot')
      .map((s) => Buffer.from(JSON.stringify(s.message))),
  },
];

let offset = 0;
/** A raw envelope holding `frame` on the trade stream, as ingest writes it. */
function rawMessage(venue: string, stream: string, frame: Buffer): BusMessage {
  const value = EnvelopeCodec.encode({
    eventId: `${venue}:BTCUSDT:raw:${stream}:${offset}`,
    eventType: EventType.raw,
    venue,
    symbol: 'BTCUSDT',
    observedAtUs: 1_723_161_255_000_000,
    ingestedAtUs: 1_723_161_255_000_000 + offset,
    raw: frame,
    stream,
  });
  return {
    topic: `raw.${venue.toLowerCase()}.${stream}`,
    key: `${venue}:BTCUSDT`,
    value,
    partition: 0,
    offset: String(offset++),
    timestamp: 0,
  };
}

/** Runs one frame through a normalizer: what it produced and what it dead-lettered. */
async function normalizeOne(venue: string, stream: string, frame: Buffer) {
  const bus = createCaptureBus();
  const normalizer = createBinanceNormalizer({ bus }, { venues: [venue] });
  const message = rawMessage(venue, stream, frame);
  const out = await normalizer.handleBatch({ topic: message.topic, partition: 0, messages: [message] });
  return { out, dead: bus.deadLettered, stats: normalizer.stats() };
}

/** Every produced trade must be one the store and the bars can take. */
function expectValidTrade(value: Uint8Array, contracts: boolean): void {
  const env = EnvelopeCodec.decode(value);
  const t = TradeCodec.decode(env.payload);
  const checked = checkTradeValues(t.price, t.quantity, !contracts);
  expect(isTradeValueFailure(checked), `${t.price} x ${t.quantity}`).toBe(false);
  if (isTradeValueFailure(checked)) return;
  expect(t.price).toBe(checked.price);
  expect(t.quantity).toBe(checked.quantity);
  expect(t.quoteQuantity).toBe(checked.quoteQuantity);
}

describe(`Binance normalizer on broken and mutated real frames (QF_TEST_SEED=${seed})`, () => {
  it('has real frames to break', () => {
    for (const s of SOURCES) expect(s.frames.length, s.venue).toBeGreaterThan(0);
  });

  it('dead-letters every named breakage with its reason, and produces nothing for it', async () => {
    const seen = new Map<string, number>();
    for (const { venue, stream, frames } of SOURCES) {
      for (const frame of frames.slice(0, 150)) {
        for (const how of BREAKAGES) {
          const broken = breakTradeFrame(frame, how, random);
          const { out, dead, stats } = await normalizeOne(venue, stream, broken);
          const label = `${how}: ${broken.toString('latin1').slice(0, 160)}`;
          expect(out, label).toHaveLength(0);
          expect(dead, label).toHaveLength(1);
          expect(dead[0]!.reason.code, label).toMatch(
            /^(schema|malformed_json|invalid_price|invalid_quantity)$/,
          );
          expect(dead[0]!.reason.message.length, label).toBeGreaterThan(0);
          expect(stats.deadLettered).toBe(1);
          seen.set(dead[0]!.reason.code, (seen.get(dead[0]!.reason.code) ?? 0) + 1);
        }
      }
    }
    // The value checks are what refused the numeric breakages, naming the field.
    expect(seen.get('invalid_price')).toBeGreaterThan(0);
    expect(seen.get('invalid_quantity')).toBeGreaterThan(0);
  }, 120_000);

  it('either normalizes a blindly mutated frame to a valid trade or dead-letters it; never throws', async () => {
    let valid = 0;
    let refused = 0;
    for (const { venue, stream, frames } of SOURCES) {
      for (const frame of frames) {
        for (let k = 0; k < 4; k++) {
          let mutated = mutateBytes(frame, random);
          if (random() < 0.3) mutated = mutateBytes(mutated, random);
          const { out, dead, stats } = await normalizeOne(venue, stream, mutated);
          const label = mutated.toString('latin1').slice(0, 200);
          // One outcome per frame: a trade, a refusal, or (a futures non-MARKET trade) nothing on purpose.
          expect(out.length + dead.length + stats.empty, label).toBe(1);
          if (out.length === 1) {
            expectValidTrade(out[0]!.value, venue === 'BINANCE_COINM');
            valid++;
          } else if (dead.length === 1) {
            expect(dead[0]!.reason.code, label).not.toBe('');
            expect(dead[0]!.reason.message, label).not.toBe('');
            refused++;
          }
        }
      }
    }
    expect(valid).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  }, 120_000);
});
