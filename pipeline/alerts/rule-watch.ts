/**
 * Rule files changed by any process reach a running alerts stage: `<dataDir>/alerts/` is watched
 * (fs.watch, as the gateway watches workspaces) and the store re-reads every file after a quiet
 * moment; its `version()` then changes and the stage swaps its rules before its next batch. The
 * store writes by rename, so a file is read whole; temp files are ignored.
 */
import { type FSWatcher, mkdirSync, watch } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/logger.ts';
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
  const dir = path.join(options.dataDir, 'alerts');
  mkdirSync(dir, { recursive: true });
  let timer: NodeJS.Timeout | undefined;
  const reload = (): void => {
    timer = undefined;
    try {
      store.reload();
    } catch (error) {
      // A file another process is half way through replacing cannot be: the next event retries.
      options.logger?.warn({ err: error }, 'alerts: re-reading the rule files failed');
    }
  };
  const watcher: FSWatcher = watch(dir, (_event, filename) => {
    if (filename !== null && !filename.toString().endsWith('.json')) return;
    clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs ?? 30);
  });
  watcher.on('error', (error) => options.logger?.warn({ err: error }, 'alerts: watching rule files failed'));
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
