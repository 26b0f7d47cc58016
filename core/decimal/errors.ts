import { InvalidInputError } from '../errors.ts';

/** A decimal string could not be parsed or an operation could not stay exact. Never retriable. */
export class DecimalError extends InvalidInputError {
  override readonly name: string = 'DecimalError';
  /** The offending input, as given. */
  readonly input: string;

  constructor(input: string, problem: string) {
    super('decimal', `${JSON.stringify(input)} ${problem}`);
    this.input = input;
  }
}
