import type { Logger } from '../../core/logger.ts';
import type { ContextResolver, MarketDataSource, RequestContext, ToolExtra } from '../common/index.ts';
import type { WorkspaceKey, WorkspaceStore } from './workspace-store.ts';

/** Dependencies of the workspace server. */
export interface WorkspaceServerDeps {
  readonly workspaces: WorkspaceStore;
  /** Who each call acts for (from the transport). */
  readonly resolveContext: ContextResolver;
  /**
   * When given, `set_chart` checks the symbol against what the store holds and `add_drawing`
   * snaps anchors to its bars; without it, a snap is refused.
   */
  readonly market?: MarketDataSource;
  readonly logger?: Logger;
}

/** The workspace a call acts on: always the caller's own, from the request context. */
export function workspaceKeyOf(deps: WorkspaceServerDeps, extra: ToolExtra): WorkspaceKey & RequestContext {
  return deps.resolveContext(extra);
}
