/** Gateway authentication: sessions (web), bearer tokens (HTTP/MCP), login links, Origin guard. */
export {
  type AuthenticateOptions,
  authenticate,
  type IdentityResult,
  type PresentedCredentials,
  resolveIdentity,
  WORKSPACE_HEADER,
} from './authenticate.ts';
export { type BearerTokens, createBearerTokens, type TokenPrincipal } from './bearer.ts';
export { type LoginOptions, loginHandler } from './login.ts';
export {
  createLoginLinks,
  type LoginLinkOptions,
  type LoginLinks,
  type RedeemResult,
} from './login-links.ts';
export { isForeignOrigin, type OriginOptions, originGuard } from './origin.ts';
export {
  createSessions,
  SESSION_COOKIE,
  type SessionOptions,
  type SessionResult,
  type Sessions,
  type SessionUser,
} from './sessions.ts';
