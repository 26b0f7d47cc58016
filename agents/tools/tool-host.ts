/**
 * The MCP tool host of one turn: the tools of the MCP servers the turn may use, named
 * `mcp__<server>__<tool>` with their JSON input schemas, and a way to call them. The request
 * context is handed to each connector once, when the host opens its session; a tool's arguments
 * never carry it. Sessions open lazily (the first call of a server's tool, or the first listing
 * without a catalog), are reused for the rest of the turn and end with `close`.
 *
 * Results are forwarded as content (text, images); structured content is not validated against
 * the tool's output schema, since the model reads the content (it is sent as JSON text only
 * when a tool gives nothing else).
 */
import { type ListToolsResult, ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { QuantForgeError } from '../../core/errors.ts';
import type { RequestContext } from '../../mcp-servers/common/index.ts';
import type { McpServerName } from '../../mcp-servers/registry.ts';
import type { McpConnection, McpServerConnector } from './connectors.ts';
import { errorOutcome, toToolOutcome } from './to-outcome.ts';
import type { ServerTools, ToolCatalog } from './tool-catalog.ts';
import { parseMcpToolName, toMcpToolName } from './tool-names.ts';
import type { ModelTool, ToolOutcome } from './types.ts';

/** The tools one turn may use. */
export interface ToolHost {
  /** Every tool of the host's servers (or of `allowed`), as sent to the model. */
  list(): Promise<ModelTool[]>;
  /**
   * Calls a tool by its model-facing name. Unknown names, bad arguments, tool failures and
   * unreachable servers come back as `isError` outcomes naming the tool; only cancellation
   * (`signal` aborted) throws, with the signal's reason.
   */
  call(name: string, input: unknown, signal?: AbortSignal): Promise<ToolOutcome>;
  /** Ends every session the host opened. The host is unusable afterwards. */
  close(): Promise<void>;
}

/** Options of {@link createMcpToolHost}. */
export interface McpToolHostOptions {
  /** One connector per server the turn may use (server names must be distinct). */
  readonly servers: readonly McpServerConnector[];
  /**
   * Model-facing names this turn may list and call (a soul's expanded allow-list); default
   * every tool of `servers`. A name outside it is refused like an unknown one.
   */
  readonly allowed?: readonly string[];
  /** The process's tool lists (see `createToolCatalog`); default: list them in every turn. */
  readonly catalog?: ToolCatalog;
  /** Time limit of one tool call in ms; default the MCP SDK's (60 s). */
  readonly callTimeoutMs?: number;
}

/** A server could not be reached or listed. */
export class ToolHostError extends QuantForgeError {
  override readonly name: string = 'ToolHostError';
  readonly server: string;

  constructor(server: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retriable: true });
    this.server = server;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isArguments(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

/** Every page of `tools/list`, as model tools. */
async function listServerTools(server: McpServerName, connection: McpConnection): Promise<ServerTools> {
  const tools = new Map<string, ModelTool>();
  let cursor: string | undefined;
  do {
    const page: ListToolsResult = await connection.client.request(
      { method: 'tools/list', params: cursor === undefined ? {} : { cursor } },
      ListToolsResultSchema,
    );
    for (const t of page.tools) {
      tools.set(t.name, {
        name: toMcpToolName(server, t.name),
        description: t.description ?? t.title ?? t.name,
        input_schema: t.inputSchema,
      });
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

/**
 * A tool host acting for `context` over `options.servers`.
 *
 * @example
 * // once per process
 * const servers = ['market-data', 'workspace'].map((s) => inProcessConnector(s, services));
 * const catalog = createToolCatalog();
 * // each turn
 * const host = createMcpToolHost({ servers, catalog, allowed: allowedTools(soul, names) }, ctx);
 * try {
 *   const tools = await host.list();              // → request.tools
 *   const outcome = await host.call('mcp__workspace__get_workspace', {});
 * } finally {
 *   await host.close();
 * }
 */
export function createMcpToolHost(options: McpToolHostOptions, context: RequestContext): ToolHost {
  const connectors = new Map<McpServerName, McpServerConnector>();
  for (const c of options.servers) {
    if (connectors.has(c.server)) throw new ToolHostError(c.server, `MCP server "${c.server}" given twice`);
    connectors.set(c.server, c);
  }
  const allowed = options.allowed === undefined ? undefined : new Set(options.allowed);
  const callOptions = options.callTimeoutMs === undefined ? {} : { timeout: options.callTimeoutMs };
  const sessions = new Map<McpServerName, Promise<McpConnection>>();
  const listed = new Map<McpServerName, Promise<ServerTools>>();
  let closed = false;

  async function open(connector: McpServerConnector): Promise<McpConnection> {
    try {
      return await connector.connect(context);
    } catch (error) {
      throw new ToolHostError(
        connector.server,
        `could not reach MCP server "${connector.server}": ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  /** The turn's session with `connector`'s server, opened on first use. */
  function sessionOf(connector: McpServerConnector): Promise<McpConnection> {
    if (closed) return Promise.reject(new ToolHostError(connector.server, 'the tool host is closed'));
    let session = sessions.get(connector.server);
    if (session === undefined) {
      session = open(connector);
      sessions.set(connector.server, session);
      // A failed open is not kept: the next call tries again.
      session.catch(() => sessions.delete(connector.server));
    }
    return session;
  }

  async function listThrough(connector: McpServerConnector): Promise<ServerTools> {
    const connection = await sessionOf(connector);
    try {
      return await listServerTools(connector.server, connection);
    } catch (error) {
      throw new ToolHostError(
        connector.server,
        `could not list the tools of MCP server "${connector.server}": ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  function toolsOf(connector: McpServerConnector): Promise<ServerTools> {
    if (options.catalog !== undefined)
      return options.catalog.toolsOf(connector, () => listThrough(connector));
    let tools = listed.get(connector.server);
    if (tools === undefined) {
      tools = listThrough(connector);
      listed.set(connector.server, tools);
      tools.catch(() => listed.delete(connector.server));
    }
    return tools;
  }

  async function list(): Promise<ModelTool[]> {
    const all = await Promise.all([...connectors.values()].map(toolsOf));
    const tools: ModelTool[] = [];
    for (const server of all)
      for (const t of server.values()) if (allowed === undefined || allowed.has(t.name)) tools.push(t);
    return tools;
  }

  async function unknownTool(name: string): Promise<ToolOutcome> {
    let valid: string;
    try {
      valid = (await list()).map((t) => t.name).join(', ');
    } catch (error) {
      valid = `unknown (${messageOf(error)})`;
    }
    return errorOutcome(`unknown tool "${name}"; valid: ${valid}`);
  }

  async function call(name: string, input: unknown, signal?: AbortSignal): Promise<ToolOutcome> {
    const parsed = parseMcpToolName(name);
    const connector = parsed === undefined ? undefined : connectors.get(parsed.server);
    if (parsed === undefined || connector === undefined || (allowed !== undefined && !allowed.has(name)))
      return unknownTool(name);
    if (!isArguments(input)) return errorOutcome(`${name}: the arguments must be a JSON object`);
    let session: McpConnection;
    try {
      if (!(await toolsOf(connector)).has(parsed.tool)) return unknownTool(name);
      session = await sessionOf(connector);
    } catch (error) {
      return errorOutcome(`${name} failed: ${messageOf(error)}`);
    }
    try {
      signal?.throwIfAborted();
      const result = await session.client.callTool(
        { name: parsed.tool, arguments: input },
        undefined,
        signal === undefined ? callOptions : { ...callOptions, signal },
      );
      return toToolOutcome(result);
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      return errorOutcome(`${name} failed: ${messageOf(error)}`);
    }
  }

  async function close(): Promise<void> {
    closed = true;
    const open = [...sessions.values()];
    sessions.clear();
    listed.clear();
    const settled = await Promise.allSettled(open);
    await Promise.all(
      settled.map((s) => (s.status === 'fulfilled' ? s.value.close().catch(() => undefined) : undefined)),
    );
  }

  return { list, call, close };
}
