/** Licence tiers → features, on every request, with the tier's rate limit. */
export { type Features, featuresSchema, type Tiers, tiersSchema } from './features.ts';
export { createLicences, type LicenceOptions, type Licences } from './licences.ts';
export { createFixedWindowLimiter, type RateDecision, type RateLimiter } from './rate-limiter.ts';
