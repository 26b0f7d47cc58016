import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../mcp-servers/common/index.ts';
import { fixedContext } from '../../mcp-servers/common/index.ts';
import { createNamedServer, type McpServerName } from '../../mcp-servers/registry.ts';
import type { McpServices } from '../../mcp-servers/services.ts';
import { linkClient } from '../../mcp-servers/testing/link-client.ts';
import { openTestServices } from '../../mcp-servers/testing/services.ts';
import { inProcessConnector, type McpConnection, type McpServerConnector } from './connectors.ts';
import { createToolCatalog } from './tool-catalog.ts';
import { createMcpToolHost, type ToolHost } from './tool-host.ts';
import type { ToolOutcome } from './types.ts';

const alice: RequestContext = { userId: 'alice', workspaceId: 'main', channel: 'agent', licence: 'pro' };
const bob: RequestContext = { userId: 'bob', workspaceId: 'main', channel: 'agent', licence: 'pro' };
const SERVERS: McpServerName[] = ['market-data', 'indicators', 'charting', 'workspace'];

function textOf(outcome: ToolOutcome): string {
  return outcome.content.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('\n');
}

/** Wraps a connector to count sessions and expose the last one. */
function observed(connector: McpServerConnector) {
  const seen = { connects: 0, closes: 0, last: undefined as McpConnection | undefined };
  const wrapped: McpServerConnector = {
    server: connector.server,
    async connect(context) {
      seen.connects++;
      const c = await connector.connect(context);
      seen.last = c;
      return {
        client: c.client,
        async close() {
          seen.closes++;
          await c.close();
        },
      };
    },
  };
  return { connector: wrapped, seen };
}

describe('MCP tool host (in process)', () => {
  let services: McpServices;
  let cleanup: () => void;
  const hosts: ToolHost[] = [];
  const hostFor = (ctx: RequestContext, options: { allowed?: string[] } = {}) => {
    const host = createMcpToolHost(
      { servers: SERVERS.map((s) => inProcessConnector(s, services)), ...options },
      ctx,
    );
    hosts.push(host);
    return host;
  };

  beforeAll(async () => {
    ({ services, cleanup } = await openTestServices());
  }, 60_000);
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    cleanup();
  });

  it('lists exactly the tools an MCP client sees, named mcp__<server>__<tool>, with their input schemas', async () => {
    const tools = await hostFor(alice).list();
    const expected: { name: string; input_schema: unknown }[] = [];
    for (const server of SERVERS) {
      const built = await createNamedServer(server, services, fixedContext(alice));
      const { client, close } = await linkClient(built.server);
      for (const t of (await client.listTools()).tools)
        expected.push({ name: `mcp__${server}__${t.name}`, input_schema: t.inputSchema });
      await close();
    }
    expect(tools.map((t) => ({ name: t.name, input_schema: t.input_schema }))).toEqual(expected);
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'mcp__market-data__get_bars',
        'mcp__indicators__list_indicators',
        'mcp__charting__render_chart',
        'mcp__workspace__get_workspace',
        'mcp__workspace__set_chart',
      ]),
    );
    for (const t of tools) {
      expect(t.input_schema.type, t.name).toBe('object');
      expect(t.description.length, t.name).toBeGreaterThan(10);
    }
  });

  it('no tool takes a user or workspace argument: who a call acts for is not the model’s to say', async () => {
    const tools = await hostFor(alice).list();
    const identityFields = tools.flatMap((t) =>
      Object.keys((t.input_schema.properties ?? {}) as object)
        .filter((field) => /^(user|workspace|licen[cs]e|channel)(_?id)?$/i.test(field))
        .map((field) => `${t.name}.${field}`),
    );
    expect(identityFields).toEqual([]);
  });

  it("each user's host reaches that user's own workspace, whatever the arguments", async () => {
    const a = hostFor(alice);
    const b = hostFor(bob);
    const setA = await a.call('mcp__workspace__set_chart', { symbol: 'BTCUSDT', period: '5m' });
    const setB = await b.call('mcp__workspace__set_chart', { symbol: 'XRPETH', period: '1m' });
    expect([setA.isError, setB.isError], textOf(setA) + textOf(setB)).toEqual([false, false]);

    // Identity-like arguments are not in the schema; the server drops them and acts for the transport's user.
    const forged = { userId: bob.userId, user_id: bob.userId, workspaceId: 'main', workspace: 'main' };
    const seenByA = await a.call('mcp__workspace__get_workspace', forged);
    const seenByB = await b.call('mcp__workspace__get_workspace', { ...forged, userId: alice.userId });
    expect(seenByA.isError).toBe(false);
    expect(textOf(seenByA)).toContain('BTCUSDT');
    expect(textOf(seenByA)).not.toContain('XRPETH');
    expect(textOf(seenByB)).toContain('XRPETH');
    expect(textOf(seenByB)).not.toContain('BTCUSDT');
  });

  it('passes an image result back as a base64 image block', async () => {
    const outcome = await hostFor(alice).call('mcp__charting__render_chart', {
      symbol: 'BTCUSDT',
      period: '5m',
      from: '2023-01-13T00:00:00Z',
      to: '2023-01-14T00:00:00Z',
      use_workspace: false,
    });
    expect(outcome.isError, textOf(outcome)).toBe(false);
    const image = outcome.content.find((b) => b.type === 'image');
    expect(image?.type === 'image' && image.source.type === 'base64' && image.source.media_type).toBe(
      'image/png',
    );
    const data = image?.type === 'image' && image.source.type === 'base64' ? image.source.data : '';
    expect([...Buffer.from(data, 'base64').subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  });

  it('answers an unknown tool name with an error listing the valid names', async () => {
    const host = hostFor(alice);
    for (const name of ['mcp__workspace__delete_everything', 'get_workspace', 'mcp__nope__get_workspace']) {
      const outcome = await host.call(name, {});
      expect(outcome.isError, name).toBe(true);
      expect(textOf(outcome)).toContain(`unknown tool "${name}"`);
      expect(textOf(outcome)).toContain('mcp__workspace__get_workspace');
      expect(textOf(outcome)).toContain('mcp__market-data__get_bars');
    }
  });

  it('lists and calls only the allowed tools when given an allow-list', async () => {
    const host = hostFor(alice, {
      allowed: ['mcp__workspace__get_workspace', 'mcp__charting__render_chart'],
    });
    expect((await host.list()).map((t) => t.name)).toEqual([
      'mcp__charting__render_chart',
      'mcp__workspace__get_workspace',
    ]);
    const refused = await host.call('mcp__workspace__set_chart', { symbol: 'ETHUSDT' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe(
      'unknown tool "mcp__workspace__set_chart"; valid: mcp__charting__render_chart, mcp__workspace__get_workspace',
    );
  });

  it('passes tool errors and bad arguments back as errors the model can act on', async () => {
    const host = hostFor(alice);
    const badSymbol = await host.call('mcp__workspace__set_chart', { symbol: 'NOSUCHCOIN' });
    expect(badSymbol.isError).toBe(true);
    expect(textOf(badSymbol)).toMatch(/NOSUCHCOIN/);
    const badType = await host.call('mcp__workspace__set_chart', { bars: 'many' });
    expect(badType.isError).toBe(true);
    expect(textOf(badType)).toMatch(/bars/);
    const notObject = await host.call('mcp__workspace__get_workspace', ['x']);
    expect(notObject).toEqual({
      content: [{ type: 'text', text: 'mcp__workspace__get_workspace: the arguments must be a JSON object' }],
      isError: true,
    });
  });

  it('connects lazily, once per server per turn, and closes what it opened', async () => {
    const ws = observed(inProcessConnector('workspace', services));
    const charting = observed(inProcessConnector('charting', services));
    const host = createMcpToolHost({ servers: [ws.connector, charting.connector] }, alice);
    expect(ws.seen.connects).toBe(0);
    await host.call('mcp__workspace__get_workspace', {});
    await host.call('mcp__workspace__get_workspace', {});
    expect([ws.seen.connects, charting.seen.connects]).toEqual([1, 0]);
    await host.list();
    expect([ws.seen.connects, charting.seen.connects]).toEqual([1, 1]);
    await host.close();
    expect([ws.seen.closes, charting.seen.closes]).toEqual([1, 1]);
    const after = await host.call('mcp__workspace__get_workspace', {});
    expect(after.isError).toBe(true);
    expect(textOf(after)).toMatch(/closed/);
  });

  it('with a catalog, later turns list without connecting and open only the servers they call', async () => {
    const ws = observed(inProcessConnector('workspace', services));
    const charting = observed(inProcessConnector('charting', services));
    const servers = [ws.connector, charting.connector];
    const catalog = createToolCatalog();
    const first = createMcpToolHost({ servers, catalog }, alice);
    const listed = await first.list();
    await first.close();
    expect([ws.seen.connects, charting.seen.connects]).toEqual([1, 1]);

    const second = createMcpToolHost({ servers, catalog }, bob);
    expect(await second.list()).toEqual(listed);
    expect([ws.seen.connects, charting.seen.connects]).toEqual([1, 1]);
    const unknown = await second.call('mcp__charting__no_such_tool', {});
    expect(textOf(unknown)).toContain('mcp__charting__render_chart');
    expect(charting.seen.connects).toBe(1);
    expect((await second.call('mcp__workspace__get_workspace', {})).isError).toBe(false);
    expect([ws.seen.connects, charting.seen.connects]).toEqual([2, 1]);
    await second.close();
    expect([ws.seen.closes, charting.seen.closes]).toEqual([2, 1]);
  });

  it('turns a thrown MCP error or an unreachable server into an error result naming the tool', async () => {
    const ws = observed(inProcessConnector('workspace', services));
    const host = createMcpToolHost({ servers: [ws.connector] }, alice);
    hosts.push(host);
    await host.list();
    await ws.seen.last!.client.close(); // the session dies under the host
    const dead = await host.call('mcp__workspace__get_workspace', {});
    expect(dead.isError).toBe(true);
    expect(textOf(dead)).toMatch(/^mcp__workspace__get_workspace failed: .*connect/i);

    const failing: McpServerConnector = {
      server: 'indicators',
      connect: async () => {
        throw new Error('connection refused');
      },
    };
    const unreachable = createMcpToolHost({ servers: [failing] }, alice);
    const outcome = await unreachable.call('mcp__indicators__list_indicators', {});
    expect(outcome).toEqual({
      content: [
        {
          type: 'text',
          text: 'mcp__indicators__list_indicators failed: could not reach MCP server "indicators": connection refused',
        },
      ],
      isError: true,
    });
    await expect(unreachable.list()).rejects.toThrow(/could not reach MCP server "indicators"/);
  });

  it('throws on cancellation instead of reporting a tool error', async () => {
    const host = hostFor(alice);
    const controller = new AbortController();
    controller.abort(new Error('turn cancelled'));
    await expect(host.call('mcp__workspace__get_workspace', {}, controller.signal)).rejects.toThrow(
      'turn cancelled',
    );
  });

  it('refuses the same server twice', () => {
    const c = inProcessConnector('workspace', services);
    expect(() => createMcpToolHost({ servers: [c, c] }, alice)).toThrow(/"workspace" given twice/);
  });
});
