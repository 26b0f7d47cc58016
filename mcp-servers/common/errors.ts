/**
 * Tool errors: every bad argument becomes an MCP tool error (`isError` result) naming the
 * field, what was wrong and what is valid. The SDK turns a thrown error into such a result;
 * these helpers make the message say enough for an agent to fix its call.
 */
import { InvalidInputError } from '../../core/errors.ts';

/** A tool argument was wrong. The message reads `field: what was wrong; valid: …`. */
export class ToolInputError extends InvalidInputError {
  override readonly name: string = 'ToolInputError';
}

/** Throws a {@link ToolInputError} for `field`. */
export function invalidArgument(field: string, message: string): never {
  throw new ToolInputError(field, message);
}

/** Levenshtein distance (case-insensitive), small strings only. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/** The `n` candidates closest to `input` (substring matches first, then by edit distance). */
export function closestMatches(input: string, candidates: readonly string[], n = 5): string[] {
  const needle = input.toLowerCase();
  return [...new Set(candidates)]
    .map((c) => {
      const hay = c.toLowerCase();
      const contains = hay.includes(needle) || needle.includes(hay);
      return { c, score: editDistance(needle, hay) - (contains ? 100 : 0) };
    })
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c))
    .slice(0, n)
    .map((x) => x.c);
}

/** Throws "unknown X; closest: …" for `field`. */
export function unknownValue(
  field: string,
  what: string,
  value: string,
  candidates: readonly string[],
): never {
  const close = closestMatches(value, candidates);
  const hint =
    candidates.length === 0
      ? 'none are available'
      : `closest: ${close.join(', ')}${candidates.length > close.length ? ` (${candidates.length} in all)` : ''}`;
  return invalidArgument(field, `unknown ${what} "${value}"; ${hint}`);
}

/** A readable one-line message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
