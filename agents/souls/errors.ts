import { QuantForgeError } from '../../core/errors.ts';

/** One thing wrong in one soul file. */
export interface SoulProblem {
  /** The soul file (as found under the souls folder), or the folder itself. */
  readonly file: string;
  /** The front-matter key (`tools`, `limits.toolRounds`), or `front matter` / `persona`. */
  readonly key: string;
  /** What is wrong, e.g. `"mcp__market-data__get_bar" matches no tool`. */
  readonly message: string;
  /** What would be accepted there, when that is a list. */
  readonly valid?: readonly string[];
}

/** Valid values shown per problem; longer lists end with how many were left out. */
export const MAX_VALID_SHOWN = 12;

/** `<file>: <key>: <what is wrong>; valid: <valid values>`. */
export function formatSoulProblem(problem: SoulProblem): string {
  const head = `${problem.file}: ${problem.key}: ${problem.message}`;
  if (problem.valid === undefined) return head;
  const shown = problem.valid.slice(0, MAX_VALID_SHOWN);
  const more = problem.valid.length - shown.length;
  const list = shown.length === 0 ? '(none)' : shown.join(', ');
  return `${head}; valid: ${list}${more > 0 ? `, … (${more} more)` : ''}`;
}

/**
 * The soul files could not be loaded. Lists every problem found, one per line, so one start
 * shows everything to fix rather than the first mistake only.
 */
export class SoulError extends QuantForgeError {
  override readonly name: string = 'SoulError';
  readonly problems: readonly SoulProblem[];

  constructor(problems: readonly SoulProblem[]) {
    const lines = problems.map(formatSoulProblem);
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the soul files:\n${lines
        .map((l) => `  ${l}`)
        .join('\n')}`,
    );
    this.problems = problems;
  }
}
