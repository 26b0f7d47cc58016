import { QuantForgeError } from '../errors.ts';

/** One problem found in a config source. */
export interface ConfigIssue {
  /** Where the value came from: a file as given (`config.yaml`) or `env QF_BUS__KIND`. */
  readonly source: string;
  /** Key path like `bus.kafka.brokers[0]`; empty for file-level problems. */
  readonly path: string;
  /** What was wrong and what is valid. */
  readonly message: string;
}

/** `config.yaml: bus.kafka.brokers[0]: expected host:port (got "localhost")`. */
export function formatConfigIssue(issue: ConfigIssue): string {
  return issue.path === ''
    ? `${issue.source}: ${issue.message}`
    : `${issue.source}: ${issue.path}: ${issue.message}`;
}

/**
 * The configuration could not be loaded: every problem of every source, each naming the
 * file (or environment variable) and the key path. Not retriable: fix the file.
 */
export class ConfigError extends QuantForgeError {
  override readonly name: string = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options: { cause?: unknown } = {}) {
    const lines = issues.map(formatConfigIssue);
    super(
      lines.length === 1
        ? (lines[0] ?? '')
        : `invalid configuration (${lines.length} problems):\n  ${lines.join('\n  ')}`,
      options,
    );
    this.issues = issues;
  }
}
