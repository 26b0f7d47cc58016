/**
 * The licence manager: maps the caller's tier to its featureset, puts it on the context as
 * `features`, and enforces the tier's per-user rate limit (fixed one-minute windows).
 * Response headers: `X-QF-Licence`, `X-QF-RateLimit-Limit`, `X-QF-RateLimit-Remaining`;
 * over the limit, 429 with `Retry-After` (seconds).
 */
import type { MiddlewareHandler } from 'hono';
import type { Clock, GatewayEnv, Refusal } from '../types.ts';
import { type Features, type Tiers, tiersSchema } from './features.ts';
import { createFixedWindowLimiter } from './rate-limiter.ts';

const MINUTE_MS = 60_000;

export interface LicenceOptions {
  /** Tier name → features; validated here (throws naming the bad key). */
  readonly tiers: Tiers;
  readonly clock?: Clock;
}

export interface Licences {
  /** The features of `tier`, or undefined when it is not configured. */
  featuresOf(tier: string): Features | undefined;
  /**
   * Middleware, after `authenticate`: sets `features`, the licence headers, and answers 403 for
   * an unknown tier or 429 over the rate limit.
   */
  readonly middleware: MiddlewareHandler<GatewayEnv>;
}

export function createLicences(options: LicenceOptions): Licences {
  const tiers = new Map(Object.entries(tiersSchema.parse(options.tiers)));
  const limiter = createFixedWindowLimiter({ windowMs: MINUTE_MS, clock: options.clock ?? Date.now });

  const middleware: MiddlewareHandler<GatewayEnv> = async function licenceMiddleware(c, next) {
    const { userId, licence } = c.get('identity');
    const features = tiers.get(licence);
    if (features === undefined) {
      const body: Refusal = { error: 'forbidden', why: `licence ${licence} is not configured` };
      return c.json(body, 403);
    }
    c.set('features', features);
    c.header('X-QF-Licence', licence);
    c.header('X-QF-RateLimit-Limit', String(features.rateLimitPerMinute));
    const decision = limiter.take(userId, features.rateLimitPerMinute);
    if (!decision.allowed) {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      c.header('X-QF-RateLimit-Remaining', '0');
      c.header('Retry-After', String(seconds));
      const body: Refusal = {
        error: 'rate_limited',
        why: `${features.rateLimitPerMinute} requests per minute for licence ${licence}; retry in ${seconds} s`,
      };
      return c.json(body, 429);
    }
    c.header('X-QF-RateLimit-Remaining', String(decision.remaining));
    return next();
  };

  return {
    featuresOf: (tier) => tiers.get(tier),
    middleware,
  };
}
