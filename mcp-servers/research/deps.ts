import type { Logger } from '../../core/logger.ts';
import type { ContextResolver, RequestContext, ToolExtra } from '../common/index.ts';
import type { ResearchService } from './service.ts';
import type { ResearchPolicy } from './workspace/index.ts';

/** Dependencies of the research server. */
export interface ResearchServerDeps {
  readonly research: ResearchService;
  /** Who each call acts for (from the transport); it alone decides whose folder. */
  readonly resolveContext: ContextResolver;
  readonly logger?: Logger;
}

/** Who a call acts for, with what their licence grants. */
export type Caller = RequestContext & { readonly policy: ResearchPolicy };

/** The caller and their policy: always their own folder, from the request context. */
export function callerOf(deps: ResearchServerDeps, extra: ToolExtra): Caller {
  const context = deps.resolveContext(extra);
  return { ...context, policy: deps.research.policyOf(context) };
}
