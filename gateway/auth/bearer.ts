/**
 * Bearer tokens for HTTP and MCP clients: a fixed token → principal map from config. A
 * presented token is compared against every configured one in constant time (SHA-256 digests
 * through `timingSafeEqual`), so timing says nothing about which prefix matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Who a bearer token acts for. */
export interface TokenPrincipal {
  readonly userId: string;
  readonly licence: string;
  /** Workspaces the token may act in; absent: any. */
  readonly workspaces?: readonly string[];
}

export interface BearerTokens {
  /** The principal of `token`, or undefined when it is not configured. */
  lookup(token: string): TokenPrincipal | undefined;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Builds the lookup from `token → principal` (a record or a Map). */
export function createBearerTokens(
  tokens: Readonly<Record<string, TokenPrincipal>> | ReadonlyMap<string, TokenPrincipal>,
): BearerTokens {
  const entries = (tokens instanceof Map ? [...tokens] : Object.entries(tokens)).map(
    ([token, principal]) => ({ hash: digest(token), principal }),
  );
  return {
    lookup(token) {
      const presented = digest(token);
      let found: TokenPrincipal | undefined;
      // No early exit: every entry is compared whatever matched.
      for (const entry of entries) {
        if (timingSafeEqual(entry.hash, presented)) found = entry.principal;
      }
      return found;
    },
  };
}
