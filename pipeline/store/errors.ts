import { QuantForgeError } from '../../core/errors.ts';

/** Base class of store failures. */
export class StoreError extends QuantForgeError {
  override readonly name: string = 'StoreError';
}

/** The commit lock could not be taken in time; retrying later is expected to work. */
export class StoreLockError extends StoreError {
  override readonly name: string = 'StoreLockError';
  readonly lockPath: string;
  constructor(lockPath: string, message: string) {
    super(message, { retriable: true });
    this.lockPath = lockPath;
  }
}

/** A commit expected files that another writer (usually a compactor) already replaced. */
export class StoreConflictError extends StoreError {
  override readonly name: string = 'StoreConflictError';
  constructor(message: string) {
    super(message, { retriable: true });
  }
}

/** A catalog file could not be read or does not match its schema. */
export class StoreCorruptError extends StoreError {
  override readonly name: string = 'StoreCorruptError';
  readonly path: string;
  constructor(path: string, message: string, options: { cause?: unknown } = {}) {
    super(`${path}: ${message}`, { ...options, retriable: false });
    this.path = path;
  }
}
