/**
 * Test helpers: a real MCP `Client` linked in-process to a server (the SDK's
 * `InMemoryTransport.createLinkedPair()`), and text access to results.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { MarketDataSource } from '../common/market-source.ts';

/** Connects a client to `server`; `close` shuts both. */
export async function linkClient(server: McpServer): Promise<{ client: Client; close(): Promise<void> }> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'qf-test', version: '0.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** Calls a tool and returns the result as a CallToolResult. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text parts of a result, joined. */
export function textOf(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/**
 * A market source that knows `symbols` (as `VENUE:SYMBOL`) and holds no data: for servers
 * that only validate symbols.
 */
export function stubMarket(symbols: readonly string[]): MarketDataSource {
  const none = async () => {
    throw new Error('stubMarket holds no data');
  };
  return {
    getBars: async () => [],
    latestBar: async () => null,
    getTrades: async () => [],
    barCoverage: none,
    tradeGaps: none,
    listSymbols: async () => [],
    getSymbol: async () => null,
    describeSeries: () =>
      symbols.map((s) => {
        const [venue = '', symbol = ''] = s.split(':');
        return {
          dataset: 'bars_1m',
          venue,
          symbol,
          files: 1,
          rows: 1,
          bytes: 1,
          minTimeUs: 0,
          maxTimeUs: 0,
          minSeq: null,
          maxSeq: null,
          dates: [],
        };
      }),
  };
}
