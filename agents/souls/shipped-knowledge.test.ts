/**
 * The shipped knowledge (souls/knowledge/) stays true to the code: every indicator, drawing kind
 * and bar period the product has is named where a soul looks it up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PERIODS } from '../../core/periods/index.ts';
import { listIndicators } from '../../indicators/index.ts';
import { drawingSchema } from '../../mcp-servers/charting/render/index.ts';

const KNOWLEDGE = fileURLToPath(new URL('../../souls/knowledge', import.meta.url));
const doc = (path: string): string => readFileSync(join(KNOWLEDGE, path), 'utf8');

describe('shipped knowledge', () => {
  it('has at least one Markdown document in every namespace', () => {
    const namespaces = readdirSync(KNOWLEDGE, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(namespaces.map((e) => e.name).sort()).toEqual(['charting', 'research-methods', 'trading-basics']);
    for (const ns of namespaces) {
      expect(
        readdirSync(join(KNOWLEDGE, ns.name)).filter((f) => f.endsWith('.md')).length,
        ns.name,
      ).toBeGreaterThan(0);
    }
  });

  it('lists every indicator with its default parameters', () => {
    const text = doc('charting/indicators.md');
    for (const i of listIndicators()) {
      const params = i.params.map((p) => `${p.name}=${p.default}`).join(', ') || '—';
      expect(text, i.name).toContain(`| \`${i.name}\` | ${i.title} | ${params} |`);
    }
  });

  it('explains every drawing kind', () => {
    const text = doc('charting/drawings.md');
    const kinds = drawingSchema.options.map((o) => o.shape.type.value);
    expect(kinds.length).toBeGreaterThan(5);
    for (const kind of kinds) expect(text, kind).toContain(`| \`${kind}\` |`);
  });

  it('lists the bar periods in catalogue order wherever it lists them', () => {
    const list = PERIODS.map((p) => `\`${p}\``).join(', ');
    for (const path of [
      'trading-basics/symbols-periods-and-time.md',
      'charting/periods-and-workspace.md',
      'research-methods/measuring-from-stored-data.md',
    ]) {
      expect(doc(path).replace(/\s+/g, ' '), path).toContain(list);
    }
  });
});
