import { seededRandom } from '../../../../core/seeded-random.ts';
import type { SimulatorFaults } from '../config.ts';

/** Where frames go after faults are applied: a socket, or a list in a test. */
export interface FrameSink {
  send(frame: Buffer): Promise<void>;
  /** Ends the connection abruptly, as a network drop does (no close frame). */
  drop(): void;
}

/** Sends data frames through the configured faults. `flush` sends what a reorder window holds. */
export interface FaultSender {
  send(frame: Buffer): Promise<void>;
  flush(): Promise<void>;
  /** Data frames sent so far on this connection (duplicates included). */
  readonly sent: number;
  readonly dropped: boolean;
}

/**
 * Applies real-world delivery faults to a connection's data frames: every frame twice
 * (`duplicate`), frames shuffled within windows of `reorderWindow`, and an abrupt drop
 * after `dropAfter` frames. With no faults configured it forwards each frame as is.
 */
export function createFaultSender(sink: FrameSink, faults: SimulatorFaults): FaultSender {
  const random = seededRandom(faults.seed);
  const window: Buffer[] = [];
  let sent = 0;
  let dropped = false;

  const emit = async (frame: Buffer): Promise<void> => {
    const copies = faults.duplicate ? 2 : 1;
    for (let i = 0; i < copies && !dropped; i++) {
      await sink.send(frame);
      sent++;
      if (faults.dropAfter !== undefined && sent >= faults.dropAfter) {
        dropped = true;
        sink.drop();
      }
    }
  };

  const flush = async (): Promise<void> => {
    // Fisher-Yates over the window, then send in the shuffled order.
    for (let i = window.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const tmp = window[i]!;
      window[i] = window[j]!;
      window[j] = tmp;
    }
    const frames = window.splice(0);
    for (const f of frames) await emit(f);
  };

  return {
    async send(frame) {
      if (dropped) return;
      if (faults.reorderWindow <= 1) return emit(frame);
      window.push(frame);
      if (window.length >= faults.reorderWindow) await flush();
    },
    flush,
    get sent() {
      return sent;
    },
    get dropped() {
      return dropped;
    },
  };
}
