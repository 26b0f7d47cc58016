/**
 * When and what to compact (pure). History is cut only between turns, and a turn always holds
 * whole tool_use/tool_result pairs (see messages.ts), so a pair is never split.
 */

/** Estimates the tokens of a text. */
export type TokenEstimator = (text: string) => number;

/**
 * The default estimator: one token per 4 characters of the JSON the API receives, rounded up.
 * Close enough for English prose and JSON to decide when to compact; inject the model's own
 * counter (e.g. the count_tokens endpoint) when it must be exact.
 */
export const estimateTokensByChars: TokenEstimator = function estimateTokensByChars(text) {
  return Math.ceil(text.length / 4);
};

/** A turn with its estimated size. */
export interface SizedTurn<T> {
  readonly turn: T;
  readonly tokens: number;
}

/** What to fold into the summary and what to send as it is. */
export interface CompactionPlan<T> {
  readonly summarize: readonly T[];
  readonly keep: readonly T[];
}

/**
 * Undefined while `fixedTokens` (summary, pinned facts) plus every turn fit in `maxTokens`.
 * Past it: keep the newest turns that fit in `keepTokens` (at least the newest one) and
 * summarize the older ones. Undefined too when only the newest turn is left (nothing to fold).
 */
export function planCompaction<T>(
  turns: readonly SizedTurn<T>[],
  options: { fixedTokens: number; maxTokens: number; keepTokens: number },
): CompactionPlan<T> | undefined {
  const total = turns.reduce((sum, t) => sum + t.tokens, options.fixedTokens);
  if (total <= options.maxTokens) return undefined;
  let kept = 0;
  let keepFrom = turns.length;
  while (keepFrom > 0) {
    const next = turns[keepFrom - 1]!.tokens;
    if (keepFrom < turns.length && kept + next > options.keepTokens) break;
    kept += next;
    keepFrom -= 1;
  }
  if (keepFrom === 0) return undefined;
  return {
    summarize: turns.slice(0, keepFrom).map((t) => t.turn),
    keep: turns.slice(keepFrom).map((t) => t.turn),
  };
}
