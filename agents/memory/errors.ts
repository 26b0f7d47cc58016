/** Errors of the agents' memory: history, pinned facts and notes. */
import { QuantForgeError } from '../../core/errors.ts';

/** The base of memory errors. */
export class MemoryError extends QuantForgeError {
  override readonly name: string = 'MemoryError';
}

/** A turn's messages are not one whole exchange (roles, tool_use/tool_result pairs); says what is wrong. */
export class TurnShapeError extends MemoryError {
  override readonly name: string = 'TurnShapeError';
}

/** The pinned facts of a conversation are at their cap; nothing was dropped. */
export class PinnedFactsFullError extends MemoryError {
  override readonly name: string = 'PinnedFactsFullError';
}

/** A notes edit was refused (text not found, ambiguous, too large); the notes are unchanged. */
export class NotesError extends MemoryError {
  override readonly name: string = 'NotesError';
}

/**
 * A notes edit would pass the size cap; the notes are unchanged. The message gives the size the
 * notes would have, the cap, how much to remove and the largest entries to consider removing.
 */
export class NotesFullError extends NotesError {
  override readonly name: string = 'NotesFullError';
  readonly sizeBytes: number;
  readonly capBytes: number;

  constructor(message: string, sizeBytes: number, capBytes: number) {
    super(message);
    this.sizeBytes = sizeBytes;
    this.capBytes = capBytes;
  }
}
