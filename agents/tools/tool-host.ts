/**
 * The MCP tool host of one turn: the tools of the MCP servers the turn may use, named
 * `mcp__<server>__<tool>` with their JSON input schemas, and a way to call them. The request
 * context is handed to each connector once, when the host opens its session; a tool's arguments
 * never carry it. Sessions open lazily (the first `list` or call of a server), are reused for
 * the rest of the turn and end with `close`.
 */

import { QuantForgeError } from '../../core/errors.ts';
import type { RequestContext } from '../../mcp-servers/common/index.ts';
import type { McpServerName } from '../../mcp-servers/registry.ts';
import type { McpConnection, McpServerConnector } from './connectors.ts';
import { errorOutcome, toToolOutcome } from './to-outcome.ts';
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

interface Session {
  readonly connection: McpConnection;
  /** Server tool name → model tool. */
  readonly tools: ReadonlyMap<string, ModelTool>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isArguments(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

/**
 * A tool host acting for `context` over `options.servers`.
 *
 * @example
 * const host = createMcpToolHost({ servers: [inProcessConnector('workspace', services)] }, ctx);
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
  const sessions = new Map<McpServerName, Promise<Session>>();
  let closed = false;

  async function open(connector: McpServerConnector): Promise<Session> {
    let connection: McpConnection;
    try {
      connection = await connector.connect(context);
    } catch (error) {
      throw new ToolHostError(
        connector.server,
        `could not reach MCP server "${connector.server}": ${messageOf(error)}`,
        { cause: error },
      );
    }
    try {
      const { tools } = await connection.client.listTools();
      const byName = new Map<string, ModelTool>();
      for (const t of tools) {
        byName.set(t.name, {
          name: toMcpToolName(connector.server, t.name),
          description: t.description ?? t.title ?? t.name,
          input_schema: t.inputSchema,
        });
      }
      return { connection, tools: byName };
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw new ToolHostError(
        connector.server,
        `could not list the tools of MCP server "${connector.server}": ${messageOf(error)}`,
        { cause: error },
      );
    }
  }

  function sessionOf(connector: McpServerConnector): Promise<Session> {
    if (closed) return Promise.reject(new ToolHostError(connector.server, 'the tool host is closed'));
    let session = sessions.get(connector.server);
    if (session === undefined) {
      session = open(connector);
      sessions.set(connector.server, session);
      // A failed open is not cached: the next call tries again.
      session.catch(() => sessions.delete(connector.server));
    }
    return session;
  }

  async function list(): Promise<ModelTool[]> {
    const all = await Promise.all([...connectors.values()].map(sessionOf));
    const tools: ModelTool[] = [];
    for (const s of all)
      for (const t of s.tools.values()) if (allowed === undefined || allowed.has(t.name)) tools.push(t);
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
    let session: Session;
    try {
      session = await sessionOf(connector);
    } catch (error) {
      return errorOutcome(`${name} failed: ${messageOf(error)}`);
    }
    if (!session.tools.has(parsed.tool)) return unknownTool(name);
    try {
      signal?.throwIfAborted();
      const result = await session.connection.client.callTool(
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
    const settled = await Promise.allSettled(open);
    await Promise.all(
      settled.map((s) =>
        s.status === 'fulfilled' ? s.value.connection.close().catch(() => undefined) : undefined,
      ),
    );
  }

  return { list, call, close };
}
