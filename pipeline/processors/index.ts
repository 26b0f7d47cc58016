/**
 * Pipeline processors: pure cores (dedup, sequencer, bars, derived periods, indicators,
 * the composed trade flow) and their thin Bus shells. See README.md for the decisions.
 */
export * from './bars/index.ts';
export * from './config.ts';
export * from './dedup/index.ts';
export * from './indicators/index.ts';
export * from './sequencer/index.ts';
export * from './shell/index.ts';
export { StateError } from './state/index.ts';
export * from './trade-flow/index.ts';
