/**
 * Rule files changed by any process reach a running alerts stage: `<dataDir>/alerts/` is watched
 * (fs.watch, as the gateway watches workspaces) and the store re-reads every file after a quiet
 * moment; its `version()` then changes and the stage swaps its rules before its next batch. The
 * store writes by rename, so a file is read whole; temp files are ignored.
 */
import path from 'node:path';
import type { Logger } from '../../core/logger.ts';
import { watchJsonFiles } from '../../core/watch-json-files.ts';
import type { AlertRuleStore } from './store.ts';

export interface AlertRuleWatchOptions {
  readonly dataDir: string;
  /** Quiet time after a file event before the store re-reads (default 30 ms). */
  readonly debounceMs?: number;
  readonly logger?: Pick<Logger, 'warn'>;
}

/** Watches `<dataDir>/alerts/` and reloads `store` on changes, until `close()`. */
export function watchAlertRules(
  store: Pick<AlertRuleStore, 'reload'>,
  options: AlertRuleWatchOptions,
): { close(): void } {
  return watchJsonFiles(
    path.join(options.dataDir, 'alerts'),
    {
      debounceMs: options.debounceMs ?? 30,
      what: 'alert rule files',
      ...(options.logger ? { logger: options.logger } : {}),
    },
    () => {
      try {
        store.reload();
      } catch (error) {
        // A file another process is half way through replacing cannot be: the next event retries.
        options.logger?.warn({ err: error }, 'alerts: re-reading the rule files failed');
      }
    },
  );
}
