/**
 * Append-only JSON-lines files that survive a crash mid-write.
 *
 * How: each record is ONE `write` of `JSON + "\n"` on a file opened with O_APPEND, then fsynced.
 * Bytes already in the file are never rewritten, so a crash can at worst leave the record being
 * written torn at the end of the file; every earlier line stays whole. A reader takes only lines
 * that end in "\n" and parse; a torn tail is skipped with a warning. The next append first checks
 * the last byte: when the file does not end in "\n" it starts its write with one, so the torn bytes
 * stay a line of their own (kept for inspection, skipped on read) instead of spoiling the new record.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { readTextIfExists } from './read-text.ts';

/** Told about every line a reader skipped. */
export type SkippedLineHandler = (skipped: { file: string; line: number; reason: string }) => void;

const NEWLINE = 0x0a;

/** Appends `record` as one line; creates the folder and file when missing. */
export async function appendJsonLine(file: string, record: unknown): Promise<void> {
  const line = `${JSON.stringify(record)}\n`;
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, 'a+');
  try {
    const { size } = await handle.stat();
    let text = line;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== NEWLINE) text = `\n${line}`;
    }
    await handle.write(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Splits `text` into complete lines parsed with `schema`. Lines that are torn (no final "\n"),
 * not JSON or not of the schema are skipped and reported; blank lines are ignored.
 */
export function parseJsonLines<T>(
  text: string,
  schema: z.ZodType<T>,
  file: string,
  onSkipped: SkippedLineHandler,
): T[] {
  const records: T[] = [];
  const lines = text.split('\n');
  // The part after the last "\n" is a torn write (or empty when the file ends cleanly).
  const tail = lines.pop() ?? '';
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      onSkipped({ file, line: index + 1, reason: 'not JSON (a torn write?)' });
      return;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else onSkipped({ file, line: index + 1, reason: `not a record: ${parsed.error.issues[0]?.message}` });
  });
  if (tail.trim() !== '') {
    onSkipped({ file, line: lines.length + 1, reason: 'torn last line (no newline; a crash mid-write)' });
  }
  return records;
}

/** Reads every whole record of `file`; a missing file has none. */
export async function readJsonLines<T>(
  file: string,
  schema: z.ZodType<T>,
  onSkipped: SkippedLineHandler,
): Promise<T[]> {
  const text = await readTextIfExists(file);
  return text === undefined ? [] : parseJsonLines(text, schema, file, onSkipped);
}
