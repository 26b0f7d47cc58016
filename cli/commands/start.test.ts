import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTopics } from '../../pipeline/bus/topics.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'qf-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real CLI entry point with a clean environment (no QF_* or alias variables leak in). */
function quantforge(...args: string[]) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return spawnSync(process.execPath, ['bin/quantforge.mjs', ...args], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
  });
}

describe('quantforge start --config', () => {
  it('exits 2 naming the file and key path of each bad value', () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'gateway:\n  port: eighty\nbus:\n  kafak: {}\n');
    const run = quantforge('start', '--config', config);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${config}: gateway.port: expected number (got "eighty")`);
    expect(run.stderr).toContain('unknown key bus.kafak (did you mean kafka?)');
    expect(run.stdout).toBe('');
  });

  it('exits 2 when the given file does not exist', () => {
    const run = quantforge('start', '--config', join(dir, 'missing.yaml'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing.yaml: file not found');
  });

  it('with --dry-run, prints what it would run and exits 0 on a good file', () => {
    const config = join(dir, 'good.yaml');
    writeFileSync(
      config,
      'bus:\n  kind: kafka\n  kafka:\n    brokers: [k1:9092]\nstore:\n  dataDir: /tmp/qf\n',
    );
    const run = quantforge('start', '--config', config, '--dry-run');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('bus: kafka k1:9092');
    expect(run.stdout).toContain('store: /tmp/qf');
    expect(run.stdout).toContain('gateway: http://127.0.0.1:8080 (web page, /api, /mcp/<server>, /files;');
    expect(run.stdout).toMatch(
      /mcp: at the gateway; servers market-data, indicators, charting, workspace, research \(backfill: quantforge mcp http\);/,
    );
    expect(run.stdout).toContain('telegram: off: set telegram.botToken in secrets.yaml');
    expect(run.stdout).toContain('agents: off: set anthropic.apiKey in secrets.yaml');
  });
});

describe('quantforge topics list', () => {
  it('prints every declared topic', () => {
    const run = quantforge('topics', 'list');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1 + loadTopics().length); // header + every declared topic
    expect(lines.length).toBeGreaterThan(60);
    expect(lines).toContain('state.bars\t6\tforever\tcompact\tVENUE:SYMBOL\topaque');
  });
});
