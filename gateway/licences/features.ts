/** The featureset a licence tier grants, validated where tiers come from config. */
import { z } from 'zod';

/** One tier's features. */
export const featuresSchema = z
  .object({
    /** Requests per user per minute through `/api`. */
    rateLimitPerMinute: z.number().int().positive(),
    /** Model tokens per user per day (agent budget). */
    dailyTokens: z.number().int().nonnegative(),
    /** Soul names this tier may talk to; `['*']` for all. */
    souls: z.array(z.string().min(1)).readonly(),
    /** Days chat logs are kept. */
    chatLogRetentionDays: z.number().int().nonnegative(),
    /** Whether the research workspace survives between sessions. */
    researchPersistent: z.boolean(),
    /** Alert rules a user may hold at once. */
    alerts: z.number().int().nonnegative(),
  })
  .strict()
  .readonly();

export type Features = z.infer<typeof featuresSchema>;

/** Tier name → features, e.g. `{ free: {...}, pro: {...} }`. */
export const tiersSchema = z.record(z.string().min(1), featuresSchema);

export type Tiers = z.infer<typeof tiersSchema>;
