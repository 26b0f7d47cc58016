import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MessagesServer, startMessagesServer } from '../../agents/testing/messages-server.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/quantforge.mjs');
const dir = mkdtempSync(join(tmpdir(), 'qf-chat-'));
let server: MessagesServer;

beforeAll(async () => {
  server = await startMessagesServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the binary without any Anthropic variable of the caller's environment. */
async function quantforge(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'error' };
  delete env.ANTHROPIC_API_KEY;
  delete env.QF_SECRET_ANTHROPIC__API_KEY;
  return run(process.execPath, [BIN, ...args], { env, timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe('quantforge chat', () => {
  it('says which secret to set when there is no API key', async () => {
    const config = join(dir, 'nokey.yaml');
    const noSecrets = join(dir, 'empty-secrets.yaml');
    writeFileSync(config, `store:\n  dataDir: ${join(dir, 'data')}\n`);
    writeFileSync(noSecrets, '{}\n');
    const r = await quantforge(['chat', '--config', config, '--secrets', noSecrets, '--once', 'hi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('anthropic.apiKey');
  });

  it('--once streams one answer from the coordinator and exits', async () => {
    const config = join(dir, 'config.yaml');
    const secrets = join(dir, 'secrets.yaml');
    writeFileSync(
      config,
      `store:\n  dataDir: ${join(dir, 'data')}\nagents:\n  anthropic:\n    baseUrl: ${server.url}\n`,
    );
    writeFileSync(secrets, 'anthropic:\n  apiKey: sk-test-key\n');
    server.enqueue({ content: [{ type: 'text', text: ['No data is stored ', 'for that symbol yet.'] }] });
    const r = await quantforge(['chat', '--config', config, '--secrets', secrets, '--once', 'How is DOGE?']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('No data is stored for that symbol yet.\n');
    const request = server.requests.at(-1)!;
    expect(JSON.stringify(request.body.messages)).toContain('How is DOGE?');
    expect(JSON.stringify(request.body.system)).toContain('channel: cli');
  });
});
