import { z } from 'zod';
import { InvalidIndicatorInputError } from './errors.ts';
import type { IndicatorParamSpec } from './types.ts';

/** Shorthand for an integer period parameter. */
export function periodParam(
  name: string,
  defaultValue: number,
  description: string,
  min = 2,
): IndicatorParamSpec {
  return { name, default: defaultValue, min, max: 1000, integer: true, description };
}

/** Shorthand for a real-valued parameter. */
export function realParam(
  name: string,
  defaultValue: number,
  min: number,
  max: number,
  description: string,
): IndicatorParamSpec {
  return { name, default: defaultValue, min, max, integer: false, description };
}

function describeRange(spec: IndicatorParamSpec): string {
  return `${spec.name} must be ${spec.integer ? 'an integer' : 'a number'} ${spec.min}..${spec.max}`;
}

/** Builds the zod schema of one indicator's params: every key optional (defaults filled), unknown keys rejected. */
export function buildParamsSchema(specs: readonly IndicatorParamSpec[]): z.ZodType<Record<string, number>> {
  const shape: Record<string, z.ZodType<number>> = {};
  for (const spec of specs) {
    const message = (iss: { input?: unknown }): string =>
      `${describeRange(spec)} (got ${JSON.stringify(iss.input)})`;
    let field = z
      .number({ error: message })
      .min(spec.min, { error: message })
      .max(spec.max, { error: message });
    if (spec.integer) field = field.int({ error: message });
    shape[spec.name] = field.default(spec.default) as unknown as z.ZodType<number>;
  }
  const valid = specs.map((s) => s.name).join(', ') || '(none)';
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown parameter(s) ${iss.keys.join(', ')}; valid: ${valid}`
        : `params must be an object with keys ${valid}`,
  }) as unknown as z.ZodType<Record<string, number>>;
}

/** Validates `params` against `schema`, throwing {@link InvalidIndicatorInputError} with every issue. */
export function parseParams(
  indicator: string,
  schema: z.ZodType<Record<string, number>>,
  params: unknown,
): Record<string, number> {
  const result = schema.safeParse(params ?? {});
  if (result.success) return result.data;
  throw new InvalidIndicatorInputError(
    indicator,
    'params',
    result.error.issues.map((i) => i.message),
  );
}
