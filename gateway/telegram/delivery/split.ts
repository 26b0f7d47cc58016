/**
 * Splits a long reply into Telegram-sized messages on safe boundaries: a paragraph break first,
 * then a line break, then a sentence end, then a space; never inside a ``` code block or an
 * inline `code` span when a boundary outside one exists, never between the halves of a
 * surrogate pair. Pure: the pieces concatenate to exactly the input, so nothing is lost or
 * repeated (the separator stays at the end of the piece before it).
 */

/** Longest text of one Telegram message, in UTF-16 code units (what the Bot API counts). */
export const MAX_MESSAGE_LENGTH = 4096;

/** Boundaries, best first: each pattern matches the separator; the cut goes after it. */
const BOUNDARIES: readonly RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?…][)"'»]?\s+/g, /\s+/g];

/**
 * Whether `cut` lies outside every code span of `text`: the count of ``` fences before it is
 * even and, on its own line, the count of single backticks is even.
 */
function isOutsideCode(text: string, cut: number): boolean {
  const before = text.slice(0, cut);
  const fences = before.split('```').length - 1;
  if (fences % 2 === 1) return false;
  const line = before.slice(before.lastIndexOf('\n') + 1).replaceAll('```', '');
  return (line.split('`').length - 1) % 2 === 0;
}

/** The best cut in `text` at or before `max` (a position in (0, max]). */
function bestCut(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  for (const pattern of BOUNDARIES) {
    let best = -1;
    for (const m of window.matchAll(pattern)) {
      const end = m.index + m[0].length;
      // The separator must start inside the window; the cut is after it, capped at max.
      const cut = Math.min(end, max);
      if (m.index > 0 && cut > 0 && isOutsideCode(text, m.index)) best = cut;
    }
    // A boundary in the first quarter would make tiny messages; look for a coarser one first.
    if (best > max / 4) return best;
  }
  // No safe boundary: cut hard, but not between a high and a low surrogate.
  const code = text.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/**
 * `text` as pieces of at most `max` code units, cut on the safest boundary available.
 *
 * @example
 * splitMessage('a'.repeat(3000) + '\n\n' + 'b'.repeat(3000)) // → ['aaa…\n\n', 'bbb…']
 */
export function splitMessage(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`max must be an integer ≥ 2, got ${max}`);
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = bestCut(rest, max);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}
