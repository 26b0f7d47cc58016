/**
 * What the gateway's middleware puts on the hono context, for every handler below it
 * (the `/api` sub-app included) to read with `c.get('identity')` and `c.get('features')`.
 */
import type { RequestContext } from '../mcp-servers/common/context.ts';
import type { Features } from './licences/features.ts';

/** How a request proved who it is: a session cookie (the web page) or a bearer token. */
export type Channel = 'web' | 'http';

/**
 * The authenticated caller: a `RequestContext` (user, workspace, channel, licence) plus the
 * workspaces the credential may act in (absent: any of the user's own).
 */
export interface Identity extends RequestContext {
  readonly channel: Channel;
  readonly workspaces?: readonly string[];
}

/** hono `Variables` of the gateway; set on every `/api/*` request before its handler runs. */
export interface GatewayVariables {
  identity: Identity;
  features: Features;
}

/** The hono `Env` of the gateway and of sub-apps mounted in it: `new Hono<GatewayEnv>()`. */
export interface GatewayEnv {
  Variables: GatewayVariables;
}

/** Milliseconds since the epoch; injected so tests move time without sleeping. */
export type Clock = () => number;

/** The JSON body of every refusal: a fixed code and a sentence saying why. */
export interface Refusal {
  readonly error: 'unauthorized' | 'forbidden' | 'rate_limited' | 'bad_request' | 'not_found';
  readonly why: string;
}
