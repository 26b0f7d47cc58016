import { InvalidInputError } from '../core/errors.ts';

/** The requested indicator name is not in the registry; the message lists the valid names. */
export class UnknownIndicatorError extends InvalidInputError {
  override readonly name: string = 'UnknownIndicatorError';
  readonly validNames: readonly string[];

  constructor(requested: string, validNames: readonly string[]) {
    super('indicator', `unknown indicator "${requested}"; valid names: ${validNames.join(', ')}`);
    this.validNames = validNames;
  }
}

/** Parameters or input columns were invalid; `issues` holds one readable line per problem. */
export class InvalidIndicatorInputError extends InvalidInputError {
  override readonly name: string = 'InvalidIndicatorInputError';
  readonly indicator: string;
  readonly issues: readonly string[];

  constructor(indicator: string, field: string, issues: readonly string[]) {
    super(field, `${indicator}: ${issues.join('; ')}`);
    this.indicator = indicator;
    this.issues = issues;
  }
}
