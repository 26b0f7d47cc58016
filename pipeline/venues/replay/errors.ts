import { QuantForgeError } from '../../../core/errors.ts';

/**
 * A recorded file could not be read as the format it was opened as. Never retriable: the
 * bytes will not change. `line` is 1-based; `file` is the path as given.
 */
export class ReplayFormatError extends QuantForgeError {
  override readonly name: string = 'ReplayFormatError';
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string, options: { cause?: unknown } = {}) {
    super(`${file}:${line}: ${message}`, { ...options, retriable: false });
    this.file = file;
    this.line = line;
  }
}
