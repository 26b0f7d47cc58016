import { QuantForgeError } from '../../../core/errors.ts';

/** A processor state snapshot could not be written or read back. Not retriable: the bytes are wrong. */
export class StateError extends QuantForgeError {
  override readonly name: string = 'StateError';
}
