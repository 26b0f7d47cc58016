/**
 * The shipped souls load under the default config against every tool our MCP servers expose
 * (listed from the servers themselves, so a renamed tool breaks this), and each gets the tools
 * its persona relies on.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { allowedTools, loadSouls, type Soul } from '../agents/souls/index.ts';
import { mcpToolNames } from '../agents/souls/testing/mcp-tool-names.ts';
import { defaultConfig } from './config/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('shipped souls', () => {
  let tools: string[] = [];
  let souls: Map<string, Soul>;
  const allowed = (name: string): string[] => allowedTools(souls.get(name)!, tools);

  beforeAll(async () => {
    tools = await mcpToolNames();
    const { agents, licences } = defaultConfig();
    const soulsDir = `${ROOT}/${agents.soulsDir}`;
    souls = loadSouls(soulsDir, {
      tools,
      models: Object.keys(agents.models),
      namespaces: readdirSync(`${soulsDir}/knowledge`, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
      tiers: Object.keys(licences.tiers),
    });
  });

  it('are the coordinator, the chartist and the researcher, each with its own knowledge', () => {
    expect(tools.length).toBeGreaterThan(20);
    expect([...souls.keys()]).toEqual(['chartist', 'coordinator', 'researcher']);
    expect(souls.get('coordinator')).toMatchObject({
      subagents: ['chartist', 'researcher'],
      rag: 'trading-basics',
    });
    expect(souls.get('chartist')).toMatchObject({ subagents: [], rag: 'charting' });
    expect(souls.get('researcher')).toMatchObject({ subagents: [], rag: 'research-methods' });
  });

  it('give the coordinator prices and the workspace brief, not the workspace editing tools', () => {
    const tools = allowed('coordinator');
    expect(tools).toContain('mcp__market-data__get_bars');
    expect(tools).toContain('mcp__workspace__get_workspace');
    expect(tools.filter((t) => t.startsWith('mcp__workspace__'))).toEqual(['mcp__workspace__get_workspace']);
  });

  it('give the chartist the whole workspace, the chart image and prices to anchor drawings', () => {
    const tools = allowed('chartist');
    for (const t of [
      'mcp__workspace__set_chart',
      'mcp__workspace__add_indicator',
      'mcp__workspace__add_drawing',
      'mcp__workspace__remove_drawing',
      'mcp__charting__render_chart',
      'mcp__charting__show_chart',
      'mcp__market-data__get_bars',
    ])
      expect(tools).toContain(t);
    // chart_data is the chart app's own (visibility: app), never the model's.
    expect(tools).not.toContain('mcp__charting__chart_data');
  });

  it('let the coordinator and the chartist set, list and delete alerts, and not the researcher', () => {
    const alertTools = ['create_alert', 'list_alerts', 'delete_alert'].map((t) => `mcp__market-data__${t}`);
    for (const soul of ['coordinator', 'chartist'])
      for (const t of alertTools) expect(allowed(soul)).toContain(t);
    expect(allowed('researcher').filter((t) => t.includes('alert'))).toEqual([]);
  });

  it('give the researcher stored data and indicators, nothing that writes', () => {
    const tools = allowed('researcher');
    expect(tools).toContain('mcp__indicators__compute_indicator');
    expect(tools).toContain('mcp__market-data__get_coverage');
    expect(tools).toContain('mcp__market-data__get_series');
    expect(tools.filter((t) => /__(workspace|backfill|charting)__|__watch_/.test(t))).toEqual([]);
  });
});
