import { setTimeout as delay } from 'node:timers/promises';
import { InvalidInputError } from '../../../core/errors.ts';

/** Replay speed: a factor of venue time (1 = as recorded, 10 = ten times faster) or `'max'`. */
export type ReplaySpeed = number | 'max';

/** Options of {@link replay}. */
export interface ReplayOptions<T> {
  readonly speed: ReplaySpeed;
  /**
   * Venue time of a record in ms, or null when it has none (it then goes out with the
   * previous record's time). Default: `eventMs` (websocket recordings), else `timeUs / 1000`
   * (CSV records). Never the recorder's receive time: its clock was off by ~1.27 s.
   */
  readonly timeOf?: (record: T) => number | null;
  readonly signal?: AbortSignal;
  /** Monotonic clock in ms (default `performance.now`); injectable for tests. */
  readonly now?: () => number;
  /** Waits `ms` (default a timer); injectable for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Below this a wait is not worth a timer: records are released together. */
const MIN_WAIT_MS = 1;

function defaultTimeOf(record: unknown): number | null {
  if (typeof record !== 'object' || record === null) return null;
  const r = record as { eventMs?: unknown; timeUs?: unknown };
  if (typeof r.eventMs === 'number') return r.eventMs;
  if (typeof r.timeUs === 'number') return r.timeUs / 1000;
  return null;
}

/** Checks a speed once, when a replay is set up. */
export function parseReplaySpeed(speed: unknown): ReplaySpeed {
  if (speed === 'max') return 'max';
  if (typeof speed === 'number' && Number.isFinite(speed) && speed > 0) return speed;
  throw new InvalidInputError('speed', `must be a positive number or "max", got ${String(speed)}`);
}

/**
 * Re-emits `source` at venue-time pace scaled by `speed` (the gap between two records'
 * venue times, divided by `speed`, is waited between them), or as fast as the consumer
 * pulls with `'max'`. The schedule is anchored on the first record, so lateness does not
 * accumulate: a slow consumer is caught up without sleeping.
 *
 * @example
 * for await (const m of replay(readWsRecording(files), { speed: 10 })) send(m.bytes);
 */
export async function* replay<T>(
  source: AsyncIterable<T> | Iterable<T>,
  options: ReplayOptions<T>,
): AsyncGenerator<T> {
  const speed = parseReplaySpeed(options.speed);
  if (speed === 'max') {
    for await (const record of source) {
      if (options.signal?.aborted) return;
      yield record;
    }
    return;
  }
  const timeOf = options.timeOf ?? defaultTimeOf;
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  let venueStart: number | null = null;
  let wallStart = 0;
  for await (const record of source) {
    if (options.signal?.aborted) return;
    const t = timeOf(record);
    if (t !== null) {
      if (venueStart === null) {
        venueStart = t;
        wallStart = now();
      } else {
        const wait = wallStart + (t - venueStart) / speed - now();
        if (wait >= MIN_WAIT_MS) {
          try {
            await sleep(wait, options.signal);
          } catch (err) {
            if (options.signal?.aborted) return;
            throw err;
          }
        }
      }
    }
    yield record;
  }
}
