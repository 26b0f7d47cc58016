/**
 * The gateway layer: a hono app from `createGateway(deps, options)` — auth, licences, metrics,
 * health — with the HTTP API mounted at `/api`. See README.md.
 */
export { createGateway, type Gateway, type GatewayDeps, type GatewayOptions } from './app.ts';
export * from './auth/index.ts';
export * from './licences/index.ts';
export type { Channel, Clock, GatewayEnv, GatewayVariables, Identity, Refusal } from './types.ts';
export * from './ws/index.ts';
