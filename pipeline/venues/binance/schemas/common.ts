/** Building blocks of the Binance message schemas. */
import { z } from 'zod';

/** A decimal string as Binance prints it (`"61837.63000000"`). */
export const decimalString = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string such as "61837.63000000"');

/** Epoch milliseconds. */
export const epochMs = z.number().int().nonnegative();

/** A venue id (trade id, update id): a non-negative integer. */
export const venueInt = z.number().int().nonnegative();

/** A combined-stream message: `{"stream":"btcusdt@trade","data":{...}}`. */
export const combinedStreamSchema = z.object({
  stream: z.string().min(1),
  data: z.unknown(),
});
export type CombinedStreamMessage = z.infer<typeof combinedStreamSchema>;

/** Renders zod issues as `path: message; ...` for a DLQ reason. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
