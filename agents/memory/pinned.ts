/**
 * Pinned facts: what the user asked the agent to keep ("remember that I trade from Berlin").
 * Stored apart from the history, in `<dataDir>/agents/<user>/<workspace>/pinned.json` (written
 * whole: temp file, fsync, rename), so no compaction can summarize them away; a reset (`/new`)
 * keeps them too. Bounded by count and length; a full list refuses a new fact with an error.
 */

import { join } from 'node:path';
import { z } from 'zod';
import { writeFileDurable } from '../../pipeline/store/catalog/fs-atomic.ts';
import { readTextIfExists } from '../storage/read-text.ts';
import { PinnedFactsFullError } from './errors.ts';

/** At most this many facts per conversation. */
export const MAX_PINNED_FACTS = 50;
/** At most this many characters per fact. */
export const MAX_PINNED_FACT_CHARS = 500;

const pinnedFileSchema = z.object({
  facts: z.array(z.object({ text: z.string(), at: z.string() })),
});
export type PinnedFact = z.output<typeof pinnedFileSchema>['facts'][number];

const REMEMBER = /^\s*(?:please\s+)?(?:remember|keep in mind)(?:\s+that)?\s*[:,-]?\s+(.+?)\s*$/is;

/**
 * The fact in a "remember that …" message, or undefined when the message is not one. A question
 * ("remember that crash in May?") is not a request to keep anything.
 * @example parseRememberRequest('Remember that I trade from Berlin.') === 'I trade from Berlin.'
 */
export function parseRememberRequest(text: string): string | undefined {
  const match = REMEMBER.exec(text);
  const fact = match?.[1];
  if (fact === undefined || fact.endsWith('?')) return undefined;
  return fact;
}

/** The pinned file of a conversation folder. */
export function pinnedFile(conversationDir: string): string {
  return join(conversationDir, 'pinned.json');
}

/** Reads the facts; none when the file does not exist. */
export async function readPinned(file: string): Promise<PinnedFact[]> {
  const text = await readTextIfExists(file);
  return text === undefined ? [] : pinnedFileSchema.parse(JSON.parse(text)).facts;
}

/** Adds `text` (once; an equal fact already kept is not added again). Throws when full or too long. */
export async function addPinned(file: string, text: string, at: Date): Promise<PinnedFact[]> {
  const fact = text.trim();
  if (fact.length === 0 || fact.length > MAX_PINNED_FACT_CHARS) {
    throw new PinnedFactsFullError(
      `a fact to keep has 1-${MAX_PINNED_FACT_CHARS} characters; this one has ${fact.length}: shorten it`,
    );
  }
  const facts = await readPinned(file);
  if (facts.some((f) => f.text === fact)) return facts;
  if (facts.length >= MAX_PINNED_FACTS) {
    throw new PinnedFactsFullError(
      `already keeping ${facts.length} facts (the cap is ${MAX_PINNED_FACTS}); ask to forget one first, e.g. the oldest: "${facts[0]!.text}"`,
    );
  }
  const next = [...facts, { text: fact, at: at.toISOString() }];
  await writeFileDurable(file, `${JSON.stringify({ facts: next }, null, 2)}\n`);
  return next;
}

/** Removes the fact equal to `text`; returns whether there was one. */
export async function removePinned(file: string, text: string): Promise<boolean> {
  const facts = await readPinned(file);
  const next = facts.filter((f) => f.text !== text.trim());
  if (next.length === facts.length) return false;
  await writeFileDurable(file, `${JSON.stringify({ facts: next }, null, 2)}\n`);
  return true;
}
