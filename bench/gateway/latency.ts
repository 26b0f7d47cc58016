/**
 * Per-trade latency from what a receiver recorded: flat `[key, count, receivedMs]` records,
 * where a bar message is `[bar time s, volume]` (every bench trade has quantity 1, so the volume
 * counts its minute's trades so far) and a baseline message is `[-1, trade index]`. A message
 * reflects every trade up to the index it names; each trade's latency is the arrival of the
 * first message that reflects it, so trades coalesced into a later bar count with their wait.
 */

export interface Receiver {
  /** Flat records: key, count, receivedMs. */
  readonly records: number[];
  /** Records already turned into latencies. */
  done: number;
  /** Highest trade index reflected so far. */
  maxG: number;
}

export const receiver = (): Receiver => ({ records: [], done: 0, maxG: -1 });

/** Turns a receiver's new records into latencies of trades from..to-1 (pushed to `out`). */
export function advance(
  rx: Receiver,
  firstG: ReadonlyMap<number, number>,
  from: number,
  to: number,
  sendMs: readonly number[],
  out: number[],
): void {
  const r = rx.records;
  for (let i = rx.done; i < r.length; i += 3) {
    const key = r[i]!;
    const first = key === -1 ? 0 : firstG.get(key);
    if (first === undefined) break; // a minute not described yet: kept for later
    const g = key === -1 ? r[i + 1]! : first + r[i + 1]! - 1;
    const t = r[i + 2]!;
    for (let h = Math.max(rx.maxG + 1, from); h <= Math.min(g, to - 1); h++) out.push(t - sendMs[h - from]!);
    if (g > rx.maxG) rx.maxG = g;
    rx.done = i + 3;
  }
}

/** Drops the records already measured. */
export function compact(rx: Receiver): void {
  rx.records.splice(0, rx.done);
  rx.done = 0;
}

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export function summarize(latencies: readonly number[]): Summary {
  const s = Float64Array.from(latencies).sort();
  const q = (p: number): number =>
    s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return {
    n: s.length,
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    max: s.length === 0 ? Number.NaN : s[s.length - 1]!,
  };
}
