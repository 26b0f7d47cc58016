import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadYamlFile } from '../../core/config/index.ts';
import { ConfigError, defaultConfig, loadConfig } from './index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qf-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function loadError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses defaults when no file exists at the default paths', () => {
    const cwd = process.cwd();
    process.chdir(dir); // the default paths are ./config.yaml and ./secrets.yaml
    const { config, secrets, sources } = (() => {
      try {
        return loadConfig({ env: {} });
      } finally {
        process.chdir(cwd);
      }
    })();
    expect(sources.configFile).toBeNull();
    expect(config.bus.kind).toBe('embedded');
    expect(config.store.dataDir).toBe('./data');
    expect(config.venues.binance.map((b) => [b.market, b.symbols])).toEqual([
      ['spot', ['BTCUSDT', 'ETHUSDT']],
    ]);
    expect(config.venues.replay.sharedDataDir).toBe('../shared/data');
    expect(config.gateway).toMatchObject({ host: '127.0.0.1', port: 8080, files: { ttlMinutes: 60 } });
    expect(secrets.telegram.botToken).toBeUndefined();
    expect(secrets.mcp.tokens).toEqual({});
    expect(sources.env).toEqual([]);
  });

  it('reads both files and freezes the result deeply', () => {
    const configPath = write(
      'config.yaml',
      'bus:\n  kind: kafka\n  kafka:\n    brokers: [k1:9092, k2:9092]\n',
    );
    write(
      'secrets.yaml',
      'mcp:\n  tokens:\n    0123456789abcdef0123:\n      userId: u1\n      workspaceIds: [w1]\n',
    );
    const { config, secrets, sources } = loadConfig({ configPath, env: {} });
    expect(config.bus.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.bus.kafka.clientId).toBe('quantforge');
    expect(secrets.mcp.tokens['0123456789abcdef0123']).toEqual({ userId: 'u1', workspaceIds: ['w1'] });
    expect(sources).toEqual({ configFile: configPath, secretsFile: join(dir, 'secrets.yaml'), env: [] });
    expect(Object.isFrozen(config.bus.kafka.brokers)).toBe(true);
    expect(() => {
      (config.bus as { kind: string }).kind = 'embedded';
    }).toThrow(TypeError);
  });

  it('names the file and key path of every problem, with the value got', () => {
    const configPath = write(
      'config.yaml',
      'bus:\n  kafak: {}\n  kafka:\n    brokers: [localhost]\ngateway:\n  port: "80"\nlog: { level: loud }\n',
    );
    const error = loadError(() => loadConfig({ configPath, env: {} }));
    expect(error.issues.map((i) => `${i.path} ${i.message}`)).toEqual(
      expect.arrayContaining([
        'bus.kafka.brokers[0] expected host:port (got "localhost")',
        ' unknown key bus.kafak (did you mean kafka?); valid keys: kind, kafka',
        'gateway.port expected number (got "80")',
        expect.stringMatching(/^log\.level expected one of fatal, .*\(got "loud"\)$/),
      ]),
    );
    expect(error.issues).toHaveLength(4);
    expect(error.message).toContain(
      `${configPath}: bus.kafka.brokers[0]: expected host:port (got "localhost")`,
    );
    expect(error.retriable).toBe(false);
  });

  it('rejects unknown sections and reports YAML syntax errors with line numbers', () => {
    const configPath = write('config.yaml', 'buss: {}\n');
    expect(loadError(() => loadConfig({ configPath, env: {} })).message).toMatch(
      /unknown key buss \(did you mean bus\?\); valid keys: bus, store, venues/,
    );
    write('config.yaml', 'bus:\n  kind: kafka\n kafka: [\n');
    expect(loadError(() => loadConfig({ configPath, env: {} })).message).toMatch(/YAML syntax: .*line \d+/);
  });

  it('fails when a path given explicitly does not exist', () => {
    const error = loadError(() => loadConfig({ configPath: join(dir, 'nope.yaml'), env: {} }));
    expect(error.message).toBe(`${join(dir, 'nope.yaml')}: file not found`);
  });

  it('never echoes secret values in errors', () => {
    const configPath = write('config.yaml', '');
    write(
      'secrets.yaml',
      'telegram:\n  botToken: not-a-real-token-value\nmcp:\n  tokens:\n    s3cr3t-token-value-1234: {}\n',
    );
    const error = loadError(() => loadConfig({ configPath, env: {} }));
    expect(error.message).toContain('telegram.botToken: expected a Bot API token');
    expect(error.message).toContain('mcp.tokens.s3cr…');
    expect(error.message).not.toContain('not-a-real-token-value');
    expect(error.message).not.toContain('s3cr3t-token-value-1234');
  });
});

describe('environment overrides', () => {
  it('coerces lists, numbers and booleans by the key type; QF_ wins over aliases', () => {
    const { config, secrets, sources } = loadConfig({
      configPath: write('config.yaml', 'bus:\n  kafka:\n    brokers: [file:1]\n'),
      env: {
        KAFKA_BROKERS: 'alias:1',
        QF_BUS__KAFKA__BROKERS: 'a:1, b:2',
        QF_BUS__KIND: 'kafka',
        QF_BUS__KAFKA__SSL: 'true',
        QF_BUS__KAFKA__CONNECTION_TIMEOUT_MS: '500',
        QF_MCP__HTTP__ENABLED: '1',
        TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        QF_SECRET_ANTHROPIC__API_KEY: 'sk-test',
        QF_CONFIGURED: 'ignored: no double underscore',
      },
    });
    expect(config.bus.kind).toBe('kafka');
    expect(config.bus.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(config.bus.kafka.ssl).toBe(true);
    expect(config.bus.kafka.connectionTimeoutMs).toBe(500);
    expect(config.mcp.http.enabled).toBe(true);
    expect(secrets.telegram.botToken).toBe('123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect(secrets.anthropic.apiKey).toBe('sk-test');
    expect(sources.env).toContain('QF_BUS__KAFKA__BROKERS');
    expect(sources.env).toContain('TELEGRAM_BOT_TOKEN');
  });

  it('blames the variable, not the file, and catches misspelt variables', () => {
    const error = loadError(() =>
      loadConfig({
        configPath: write('config.yaml', 'bus:\n  kind: embedded\n'),
        env: { QF_BUS__KIND: 'kafak', QF_GATEWAY__PORTT: '1', QF_BUS__KAFKA: 'x' },
      }),
    );
    expect(error.message).toContain(
      'env QF_BUS__KIND: bus.kind: expected one of embedded, kafka (got "kafak")',
    );
    expect(error.message).toContain(
      'env QF_GATEWAY__PORTT: unknown key gateway.portt; valid variables: QF_GATEWAY__ENABLED, QF_GATEWAY__HOST, QF_GATEWAY__PORT, QF_GATEWAY__PUBLIC_URL',
    );
    expect(error.message).toContain('env QF_BUS__KAFKA: bus.kafka: is a section');
  });
});

describe('environment overrides: limits', () => {
  it('refuses lists of objects and maps from one variable, and a missing QF_SECRETS file', () => {
    const configPath = write('config.yaml', '');
    const error = loadError(() =>
      loadConfig({ configPath, env: { QF_VENUES__BINANCE: 'x', QF_SECRETS: join(dir, 'none.yaml') } }),
    );
    expect(error.message).toContain('env QF_VENUES__BINANCE: venues.binance: is a list of objects or a map');
    expect(error.message).toContain(`${join(dir, 'none.yaml')}: file not found`);
  });

  it('reads the config path from QF_CONFIG and blames QF_SECRET_ variables without echoing them', () => {
    const configPath = write('other.yaml', 'log: { level: debug }\n');
    const { config } = loadConfig({ env: { QF_CONFIG: configPath } });
    expect(config.log.level).toBe('debug');
    const error = loadError(() =>
      loadConfig({ configPath, env: { QF_SECRET_TELEGRAM__BOT_TOKEN: 'oops-secret' } }),
    );
    expect(error.message).toContain(
      'env QF_SECRET_TELEGRAM__BOT_TOKEN: telegram.botToken: expected a Bot API token',
    );
    expect(error.message).not.toContain('oops-secret');
  });
});

describe('loadYamlFile', () => {
  it('catches unknown keys even where the schema is a non-strict z.object, and treats `key:` as unset', () => {
    const schema = z.object({ flush: z.object({ maxRows: z.number().default(10) }).prefault({}) });
    const path = write('x.yaml', 'flush:\n  maxRow: 5\n');
    expect(loadError(() => loadYamlFile(path, schema)).message).toBe(
      `${path}: unknown key flush.maxRow (did you mean maxRows?); valid keys: maxRows`,
    );
    expect(loadYamlFile(write('y.yaml', 'flush:\n'), schema)).toEqual({ flush: { maxRows: 10 } });
  });
});

describe('defaultConfig', () => {
  it('is the all-defaults config', () => {
    expect(defaultConfig()).toEqual(
      loadConfig({ configPath: write('config.yaml', '# empty\n'), env: {} }).config,
    );
  });
});
