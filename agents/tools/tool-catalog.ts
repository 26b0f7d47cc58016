/**
 * The tools each MCP server lists, kept for the life of the process. A server lists the same
 * tools to every user (the request context decides what a call acts on, not which tools exist),
 * so a turn need not open a session just to tell the model what it may call: with a catalog,
 * a turn connects only to the servers whose tools it actually calls.
 */
import type { McpServerConnector } from './connectors.ts';
import type { ModelTool } from './types.ts';

/** A server's tools: its own tool name → the tool as the model sees it. */
export type ServerTools = ReadonlyMap<string, ModelTool>;

/** Tool lists by connector, shared by the hosts of one process. */
export interface ToolCatalog {
  /** The tools of `connector`'s server; `list` runs the first time (and again after a failure). */
  toolsOf(connector: McpServerConnector, list: () => Promise<ServerTools>): Promise<ServerTools>;
}

/** A catalog for one process; build it beside the connectors, once. */
export function createToolCatalog(): ToolCatalog {
  const lists = new WeakMap<McpServerConnector, Promise<ServerTools>>();
  return {
    toolsOf(connector, list) {
      let tools = lists.get(connector);
      if (tools === undefined) {
        tools = list();
        lists.set(connector, tools);
        // A failed listing is not kept: the next turn tries again.
        tools.catch(() => lists.delete(connector));
      }
      return tools;
    },
  };
}
