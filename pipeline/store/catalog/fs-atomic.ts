/**
 * Crash-safe file primitives: a file becomes visible under its final name only whole and
 * durable (write to a temp name, fsync, rename, fsync the directory).
 */

/**
 * Crash-safe file primitives: a file becomes visible under its final name only whole and
 * durable (write to a temp name, fsync, rename, fsync the directory).
 */
import fs, { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** fsyncs a directory so a rename or create inside it survives a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a file's data. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `tmpPath`, fsyncs it and renames it over `path`; the directory is fsynced when asked. */
export function writeFileAtomic(path: string, data: string, options: { syncDir?: boolean } = {}): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (options.syncDir !== false) fsyncDir(dirname(path));
}

/**
 * {@link writeFileAtomic} on libuv's thread pool, without the directory fsync (the caller syncs
 * each directory once, after all its files): the event loop keeps running while the disk works,
 * and several files' fsyncs overlap instead of queueing one after another. Plain fs callbacks
 * (one promise per file, not per call): cheaper than FileHandle promises.
 */
export function writeFileDurable(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  return new Promise((resolve, reject) => {
    fs.open(tmp, 'w', (err, fd) => {
      if (err) return reject(err);
      const closeWith = (first: Error | null) =>
        fs.close(fd, (closeErr) => {
          const e = first ?? closeErr;
          if (e) return reject(e);
          fs.rename(tmp, path, (renameErr) => (renameErr ? reject(renameErr) : resolve()));
        });
      fs.write(fd, data, 0, 'utf8', (writeErr, written) => {
        if (writeErr) return closeWith(writeErr);
        if (written !== Buffer.byteLength(data)) return closeWith(new Error(`short write to ${tmp}`));
        fs.fsync(fd, closeWith);
      });
    });
  });
}

/** {@link fsyncDir} on libuv's thread pool. */
export function fsyncDirAsync(dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(dir, 'r', (err, fd) => {
      if (err) return reject(err);
      fs.fsync(fd, (syncErr) =>
        fs.close(fd, (closeErr) => {
          const e = syncErr ?? closeErr;
          if (e) reject(e);
          else resolve();
        }),
      );
    });
  });
}

/** Waits for every promise; then throws the first failure (none is left running behind the caller). */
export async function allSettled(jobs: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(jobs);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}
