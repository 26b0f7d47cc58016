/**
 * How the tool host reaches an MCP server for one request context. Two connectors:
 * - in process: the server is built for the turn with `fixedContext(context)` and linked to a
 *   client through the SDK's in-memory transport, so every call acts for that context whatever
 *   its arguments;
 * - across processes: streamable HTTP to `<url>/mcp/<server>` with the user's bearer token; the
 *   HTTP side resolves the user from the token and checks the workspace header against it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { fixedContext, type RequestContext } from '../../mcp-servers/common/index.ts';
import { WORKSPACE_HEADER } from '../../mcp-servers/http-auth.ts';
import { createNamedServer, type McpServerName } from '../../mcp-servers/registry.ts';
import type { McpServices } from '../../mcp-servers/services.ts';

/** An open MCP session acting for one request context. */
export interface McpConnection {
  readonly client: Client;
  /** Ends the session (and, in process, the server instance built for it). */
  close(): Promise<void>;
}

/**
 * Opens sessions to one MCP server. Implementations: {@link inProcessConnector},
 * {@link httpConnector}. Required: `server` (its name, as in `mcp__<server>__<tool>`) and
 * `connect`, which must bind the session to `context` through the transport, never through an
 * argument the model could change.
 */
export interface McpServerConnector {
  readonly server: McpServerName;
  connect(context: RequestContext): Promise<McpConnection>;
}

const CLIENT_INFO = { name: 'quantforge-agent', version: '0.1.0' };

/** Server `server` built in this process over `services`, one instance per session. */
export function inProcessConnector(server: McpServerName, services: McpServices): McpServerConnector {
  return {
    server,
    async connect(context) {
      const built = await createNamedServer(server, services, fixedContext(context));
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const client = new Client(CLIENT_INFO);
      try {
        await Promise.all([built.server.connect(serverSide), client.connect(clientSide)]);
      } catch (error) {
        await built.close();
        throw error;
      }
      return {
        client,
        async close() {
          await client.close();
          await built.close();
        },
      };
    },
  };
}

/** Options of {@link httpConnector}. */
export interface HttpConnectorOptions {
  /** Base URL of the MCP HTTP listener (`quantforge mcp --http`), e.g. `http://127.0.0.1:8081`. */
  readonly url: string;
  /** The bearer token of the user `context` acts for (the HTTP side derives the user from it). */
  readonly tokenFor: (context: RequestContext) => string;
  /** Fetch implementation; default the global one. */
  readonly fetch?: typeof fetch;
}

/**
 * Server `server` of the MCP HTTP listener at `options.url`. The token decides the user and the
 * licence; the context's workspace is asked for by header and refused (403) unless the token
 * grants it. The HTTP side records the channel as `http`.
 */
export function httpConnector(server: McpServerName, options: HttpConnectorOptions): McpServerConnector {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const endpoint = new URL(`mcp/${server}`, base);
  return {
    server,
    async connect(context) {
      const transport = new StreamableHTTPClientTransport(endpoint, {
        requestInit: {
          headers: {
            authorization: `Bearer ${options.tokenFor(context)}`,
            [WORKSPACE_HEADER]: context.workspaceId,
          },
        },
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      });
      const client = new Client(CLIENT_INFO);
      await client.connect(transport);
      return {
        client,
        async close() {
          // Ends the server-side session now rather than at its idle timeout; a server that
          // is already gone has nothing left to end.
          await transport.terminateSession().catch(() => undefined);
          await client.close();
        },
      };
    },
  };
}
