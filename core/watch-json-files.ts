/**
 * Changes other processes make to a folder of JSON state files (written whole by rename), each
 * file's burst of events folded into one call after a quiet moment. Used where a running service
 * must see what another process saved: workspaces (the gateway), alert rules (the alerts stage).
 */
import { type FSWatcher, mkdirSync, watch } from 'node:fs';
import type { Logger } from './logger.ts';

export interface WatchJsonFilesOptions {
  /** Also files in sub-folders (their name then carries the folder: `alice/main`). */
  readonly recursive?: boolean;
  /** Quiet time after a file's last event before `onChange` runs for it, ms. */
  readonly debounceMs: number;
  readonly logger?: Pick<Logger, 'warn'>;
  /** What is watched, for the warning when watching fails. */
  readonly what: string;
}

/**
 * Watches `dir` (created when missing) and calls `onChange(name)` once per burst of events on
 * `<name>.json`; other files (a writer's `….json.<pid>.<n>.tmp`) are ignored. `close()` stops.
 */
export function watchJsonFiles(
  dir: string,
  options: WatchJsonFilesOptions,
  onChange: (name: string) => void,
): { close(): void } {
  mkdirSync(dir, { recursive: true });
  const timers = new Map<string, NodeJS.Timeout>();
  const watcher: FSWatcher = watch(dir, { recursive: options.recursive ?? false }, (_event, filename) => {
    if (filename === null) return;
    const file = filename.toString();
    if (!file.endsWith('.json')) return;
    const name = file.slice(0, -'.json'.length);
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        onChange(name);
      }, options.debounceMs),
    );
  });
  watcher.on('error', (error) => options.logger?.warn({ err: error }, `watching ${options.what} failed`));
  return {
    close() {
      watcher.close();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
