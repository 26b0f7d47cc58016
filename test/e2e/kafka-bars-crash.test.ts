/**
 * The pipeline issue's crash check, on real Kafka: the 19,904 recorded BTCUSDT spot trades go
 * to norm.trade; the trade processor (dedup, sequencer, bars) runs in a child process that is
 * SIGKILLed mid-stream (some bars committed, not all input processed) and then restarted. The
 * committed output must equal an uninterrupted run: every trade sequenced exactly once
 * (seq 1..N, no gap, no duplicate), no bar update emitted twice, and the last version of every
 * 1m bar equal, field by field, to `buildBars` over the same trades.
 *
 * Isolation on the shared broker: the processors use fixed topic names and group /
 * transactional ids, so the test and the worker both go through `namespacedBus` (every topic,
 * group and transactional id under a fresh namespace); the namespace's topics are deleted after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { namespacedBus } from '../../pipeline/bus/namespaced.ts';
import {
  deleteNamespaceTopics,
  drainTopic,
  makeTestBus,
  testBrokers,
  testLogger,
  uniqueName,
} from '../../pipeline/bus/testing/index.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import type { Bus, BusMessage } from '../../pipeline/bus/types.ts';
import { toBarMessage, toBarTrade } from '../../pipeline/processors/bars/bar-state.ts';
import {
  buildBars,
  PROCESSOR_TOPICS,
  processorsConfigSchema,
  TRADE_PROCESSOR_GROUP,
} from '../../pipeline/processors/index.ts';
import { loadBtcusdtTrades } from '../../pipeline/processors/testing/recorded-trades.ts';
import { replayFile } from '../../pipeline/runtime/replay-source.ts';
import { BarCodec, EnvelopeCodec, TradeCodec } from '../../proto/index.ts';
import { onLines, REPO_ROOT, recordedData, testRandom, until } from '../support/index.ts';

const TRADES_CSV = recordedData('trades', 'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz');
const TOTAL = 19_904;
const workerScript = path.join(import.meta.dirname, 'workers', 'processors-worker.ts');
const CHUNK = 100;

interface Worker {
  readonly child: ChildProcess;
  /** Transform batches started, per group id, with the end offset of the latest one. */
  readonly batches: Map<string, { count: number; lastEnd: number }>;
  readonly exited: Promise<number | null>;
}
const children: ChildProcess[] = [];

function startWorker(ns: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    cwd: REPO_ROOT,
    env: { ...process.env, KAFKA_BROKERS: testBrokers().join(','), QF_NS: ns },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const worker: Worker = {
    child,
    batches: new Map(),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  onLines(child.stdout!, (line) => {
    const [word, group = '', , offset = '0', count = '0'] = line.split(' ');
    if (word !== 'batch') return;
    const seen = worker.batches.get(group) ?? { count: 0, lastEnd: 0 };
    worker.batches.set(group, { count: seen.count + 1, lastEnd: Number(offset) + Number(count) });
  });
  return worker;
}

/** The crash test's topics: what the processors read and write, as deploy/topics.yaml declares them. */
const TOPICS = loadTopics().filter((t) => (Object.values(PROCESSOR_TOPICS) as string[]).includes(t.name));
const partitionsOf = (name: string) => TOPICS.find((t) => t.name === name)?.partitions ?? 1;

let ns = '';
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (ns !== '') await deleteNamespaceTopics([ns]);
});

/** The latest version of every 1m bar in log order (one partition holds the series). */
function lastVersions(messages: readonly BusMessage[]): Map<number, Record<string, unknown>> {
  const sorted = [...messages].sort(
    (a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset),
  );
  const out = new Map<number, Record<string, unknown>>();
  for (const m of sorted) {
    const bar = BarCodec.decode(EnvelopeCodec.decode(m.value).payload);
    out.set(Number(bar.openTimeUs), canonical(bar));
  }
  return out;
}

function canonical(b: ReturnType<typeof toBarMessage>): Record<string, unknown> {
  return {
    period: b.period,
    openTimeUs: Number(b.openTimeUs),
    closeTimeUs: Number(b.closeTimeUs),
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
    takerBuyVolume: b.takerBuyVolume,
    makerVolume: b.makerVolume,
    tradeCount: Number(b.tradeCount),
    quoteVolume: b.quoteVolume,
    takerBuyQuoteVolume: b.takerBuyQuoteVolume,
    revision: Number(b.revision ?? 0),
    final: Boolean(b.final),
    firstSeq: Number(b.firstSeq),
    lastSeq: Number(b.lastSeq),
  };
}

/** Bars of an uninterrupted run: buildBars over the file's trades (seq = id order), final as the watermark says. */
function referenceBars(): Map<number, Record<string, unknown>> {
  const config = processorsConfigSchema.parse({});
  const trades = loadBtcusdtTrades().map((t, i) =>
    toBarTrade(i + 1, t.timeUs, t.price, t.quantity, t.aggressor),
  );
  const watermark = Math.max(...trades.map((t) => t.timeUs)) - config.bars.allowedLatenessMs * 1000;
  const out = new Map<number, Record<string, unknown>>();
  for (const bar of buildBars(trades, '1m')) {
    bar.final = watermark >= bar.closeTimeUs + config.bars.graceMs * 1000;
    out.set(bar.openTimeUs, canonical(toBarMessage(bar)));
  }
  return out;
}

describe('Kafka: processors SIGKILLed mid-replay and restarted', () => {
  it('commit the same sequenced trades and 1m bars as an uninterrupted run', {
    timeout: 240_000,
  }, async () => {
    ns = uniqueName('qf-e2e-crash');
    const logger = testLogger();
    const bus: Bus = namespacedBus(makeTestBus('kafka', logger), ns);
    try {
      await ensureTopics(bus, TOPICS);
      // Small produce calls make small record batches, so the processor commits ~200 small
      // transactions (a fetch returns whole record batches): plenty of points to be killed at.
      const chunked: Bus = {
        ...bus,
        async produce(records) {
          for (let i = 0; i < records.length; i += CHUNK) await bus.produce(records.slice(i, i + CHUNK));
        },
      };
      const sent = await replayFile({ bus: chunked, logger }, TRADES_CSV, {
        venue: 'BINANCE',
        format: 'binance-trades-csv',
      });
      expect(sent).toEqual({ records: TOTAL, rejected: 0 });

      // read_committed watchers: how far the committed output has got.
      let barsSeen = 0;
      let lastSeqInBars = 0;
      const watcher = await bus.subscribe({
        groupId: uniqueName('watch'),
        topics: [PROCESSOR_TOPICS.bars1m],
        fromBeginning: true,
        handler: async (batch) => {
          for (const m of batch.messages) {
            barsSeen++;
            const bar = BarCodec.decode(EnvelopeCodec.decode(m.value).payload);
            lastSeqInBars = Math.max(lastSeqInBars, Number(bar.lastSeq));
          }
        },
      });

      const first = startWorker(ns);
      const batches = (group: string) => first.batches.get(group)?.count ?? 0;
      await until(
        () => batches(TRADE_PROCESSOR_GROUP) >= 30 && barsSeen > 0,
        'the processor to be mid-stream',
        { timeoutMs: 120_000 },
      );
      // Land the kill at a varying point of a batch: in a handler, sending outputs, or committing
      // (the pause is drawn from a seeded random whose seed is printed; what is asserted holds for any).
      const pauseMs = testRandom('Kafka bars crash test').int(0, 20);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(null);
      const inputEndAtKill = first.batches.get(TRADE_PROCESSOR_GROUP)?.lastEnd ?? 0;
      // Killed before the processor saw all its input.
      expect(inputEndAtKill).toBeLessThan(TOTAL);
      const barsSeenAtKill = barsSeen;
      if (process.env.QF_DEBUG)
        process.stderr.write(
          `killed: input end ${inputEndAtKill}, bar updates committed ${barsSeen}, batches ${JSON.stringify([...first.batches])}\n`,
        );

      const second = startWorker(ns);
      await until(() => lastSeqInBars === TOTAL, 'the restarted processors to finish', {
        timeoutMs: 180_000,
      });
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      await watcher.stop();
      expect(barsSeenAtKill).toBeGreaterThan(0);

      // Every trade sequenced exactly once: seq 1..N, each venue trade id once.
      const sequenced = await drainTopic(
        bus,
        PROCESSOR_TOPICS.sequenced,
        partitionsOf(PROCESSOR_TOPICS.sequenced),
      );
      const seqs = sequenced.map((m) => Number(EnvelopeCodec.decode(m.value).seq)).sort((a, b) => a - b);
      expect(seqs.length).toBe(TOTAL);
      expect(seqs.every((s, i) => s === i + 1)).toBe(true);
      const ids = new Set(
        sequenced.map((m) => TradeCodec.decode(EnvelopeCodec.decode(m.value).payload).tradeId),
      );
      expect(ids.size).toBe(TOTAL);

      // No bar update committed twice (event ids name period, open time, revision, last seq, finality).
      const bars = await drainTopic(bus, PROCESSOR_TOPICS.bars1m, partitionsOf(PROCESSOR_TOPICS.bars1m));
      const eventIds = bars.map((m) => EnvelopeCodec.decode(m.value).eventId);
      expect(new Set(eventIds).size).toBe(eventIds.length);

      // The last version of every bar equals the uninterrupted reference, every field.
      const got = lastVersions(bars);
      const expected = referenceBars();
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [open, bar] of expected) expect(got.get(open), `bar at ${open}`).toEqual(bar);
      const count = [...got.values()].reduce((n, b) => n + Number(b.tradeCount), 0);
      expect(count).toBe(TOTAL);
    } finally {
      await bus.close();
    }
  });
});
