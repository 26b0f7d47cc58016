/**
 * A small notes memory per user: one Markdown text in `<dataDir>/agents/<userId>/notes.md`, kept
 * across workspaces and conversations, edited by the agent through the `notes` tool
 * (notes-tool.ts). Each edit is written whole (temp file, fsync, rename) and edits of one user are
 * serialized in this process.
 *
 * The size is capped (`maxBytes`, UTF-8): an edit that would pass the cap is refused with a
 * {@link NotesFullError} that gives the size, the cap, how much to remove and the largest entries;
 * the notes stay as they were. Nothing is ever dropped to make room.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurable } from '../../pipeline/store/catalog/fs-atomic.ts';
import { userDir } from '../storage/paths.ts';
import { readTextIfExists } from '../storage/read-text.ts';
import { createSerialQueue } from '../storage/serial.ts';
import { NotesError, NotesFullError } from './errors.ts';

/** The notes after a read or an edit. */
export interface NotesState {
  readonly text: string;
  readonly sizeBytes: number;
  readonly capBytes: number;
}

/** One user's notes; `userId` comes from the request context, never from the model. */
export interface Notes {
  read(userId: string): Promise<NotesState>;
  /** Adds `text` as a new entry (line) at the end. */
  append(userId: string, text: string): Promise<NotesState>;
  /** Replaces the one occurrence of `oldText` by `newText`; refused when absent or ambiguous. */
  replace(userId: string, oldText: string, newText: string): Promise<NotesState>;
  /** Removes the one occurrence of `text` (its whole line when it is a whole line). */
  delete(userId: string, text: string): Promise<NotesState>;
}

/** Options of {@link createNotes}. */
export interface NotesOptions {
  readonly dataDir: string;
  /** Hard cap on the notes' size in UTF-8 bytes, e.g. 4096. */
  readonly maxBytes: number;
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const fmt = (n: number): string => n.toLocaleString('en-US');

function quote(text: string): string {
  return text.length > 60 ? `"${text.slice(0, 57)}…"` : `"${text}"`;
}

/** The refusal of an edit that would make the notes `size` bytes. */
function fullError(size: number, cap: number, current: string): NotesFullError {
  const largest = current
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ line, size: bytes(line) + 1 }))
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((e) => `${quote(e.line)} (${fmt(e.size)} bytes)`);
  return new NotesFullError(
    `notes are full: this edit would make them ${fmt(size)} bytes and the cap is ${fmt(cap)} bytes, so nothing was saved. ` +
      `Remove or shorten at least ${fmt(size - cap)} bytes first (notes tool, action delete or replace)` +
      (largest.length > 0 ? `; the largest entries are ${largest.join(', ')}.` : '.'),
    size,
    cap,
  );
}

/** Index of the one occurrence of `needle` in `text`; throws naming how many there are otherwise. */
function onlyOccurrence(text: string, needle: string): number {
  if (needle === '') throw new NotesError('the text to find is empty; quote part of an entry exactly');
  const first = text.indexOf(needle);
  if (first === -1) {
    throw new NotesError(`${quote(needle)} is not in the notes; read them and quote the text exactly`);
  }
  if (text.indexOf(needle, first + 1) !== -1) {
    throw new NotesError(`${quote(needle)} occurs more than once in the notes; quote a longer, unique part`);
  }
  return first;
}

/** Creates the notes over `<dataDir>/agents/<userId>/notes.md`. */
export function createNotes(options: NotesOptions): Notes {
  if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1) {
    throw new NotesError(`notes maxBytes must be a positive whole number of bytes, got ${options.maxBytes}`);
  }
  const cap = options.maxBytes;
  const queue = createSerialQueue();

  const fileOf = (userId: string): string => join(userDir(options.dataDir, userId), 'notes.md');
  const state = (text: string): NotesState => ({ text, sizeBytes: bytes(text), capBytes: cap });

  const readText = async (file: string): Promise<string> => (await readTextIfExists(file)) ?? '';

  /** Applies `change` to the notes and saves the result when it fits under the cap. */
  async function edit(userId: string, change: (text: string) => string): Promise<NotesState> {
    const file = fileOf(userId);
    return queue.run(file, async () => {
      const current = await readText(file);
      const next = change(current);
      const size = bytes(next);
      if (size > cap && size > bytes(current)) throw fullError(size, cap, current);
      await mkdir(userDir(options.dataDir, userId), { recursive: true });
      await writeFileDurable(file, next);
      return state(next);
    });
  }

  return {
    async read(userId) {
      return state(await readText(fileOf(userId)));
    },

    async append(userId, text) {
      const entry = text.trim();
      if (entry === '') throw new NotesError('nothing to append: the text is empty');
      return edit(userId, (current) =>
        current === '' || current.endsWith('\n') ? `${current}${entry}\n` : `${current}\n${entry}\n`,
      );
    },

    async replace(userId, oldText, newText) {
      return edit(userId, (current) => {
        const at = onlyOccurrence(current, oldText);
        return `${current.slice(0, at)}${newText}${current.slice(at + oldText.length)}`;
      });
    },

    async delete(userId, text) {
      return edit(userId, (current) => {
        const at = onlyOccurrence(current, text);
        let end = at + text.length;
        // A whole line goes with its newline, so no blank line is left behind.
        const startsLine = at === 0 || current[at - 1] === '\n';
        if (startsLine && current[end] === '\n') end += 1;
        return `${current.slice(0, at)}${current.slice(end)}`;
      });
    },
  };
}
