/**
 * The catalog commit lock: a file created with O_EXCL holding the owner's pid, host and time.
 * Held only for the few milliseconds of a commit, so writers serialize and readers never wait.
 * A lock whose owner died (same host, pid gone) or that is older than `staleMs` is broken.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { StoreLockError } from '../errors.ts';

/** Options of {@link acquireLock}. */
export interface LockOptions {
  readonly staleMs: number;
  readonly timeoutMs: number;
}

interface LockContent {
  pid: number;
  host: string;
  createdMs: number;
  token: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): { raw: string; content: LockContent | null } | null {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    return { raw, content: JSON.parse(raw) as LockContent };
  } catch {
    return { raw, content: null };
  }
}

function isStale(content: LockContent | null, staleMs: number, firstSeenMs: number): boolean {
  const now = Date.now();
  // Unreadable content: a writer died between create and write; give it staleMs from first sight.
  if (content === null) return now - firstSeenMs > staleMs;
  if (content.host === hostname() && !isAlive(content.pid)) return true;
  return now - content.createdMs > staleMs;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A held lock; `release` removes it (only if it is still ours). */
export interface HeldLock {
  release(): void;
}

/** Takes the lock at `path`, waiting (with jitter) up to `timeoutMs`, breaking a stale one. */
export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const started = Date.now();
  const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const seen = new Map<string, number>();
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      try {
        const content: LockContent = { pid: process.pid, host: hostname(), createdMs: Date.now(), token };
        writeSync(fd, JSON.stringify(content));
      } finally {
        closeSync(fd);
      }
      return {
        release: function releaseLock() {
          const now = readLock(path);
          if (now?.content?.token === token) unlinkSync(path);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = readLock(path);
    if (current !== null) {
      const firstSeen = seen.get(current.raw) ?? Date.now();
      seen.set(current.raw, firstSeen);
      if (isStale(current.content, options.staleMs, firstSeen)) {
        // Move the stale lock aside, then check we moved the one we judged (not a fresh one
        // another writer created meanwhile); if not, put it back.
        const aside = `${path}.broken-${token}`;
        try {
          renameSync(path, aside);
          const moved = readLock(aside);
          if (moved !== null && moved.raw !== current.raw) {
            try {
              renameSync(aside, path);
            } catch {
              // Another writer holds a newer lock; leave this one for GC.
            }
          } else {
            unlinkSync(aside);
          }
        } catch {
          // Someone else broke it first.
        }
        continue;
      }
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new StoreLockError(
        path,
        `catalog commit lock ${path} still held after ${options.timeoutMs} ms (${current?.raw ?? 'gone'})`,
      );
    }
    await sleep(2 + Math.random() * 8);
  }
}
