import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { credentialsPath, loadOrCreateCredentials, readOwnerToken } from './credentials.ts';

const root = mkdtempSync(join(tmpdir(), 'qf-credentials-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('first-run credentials', () => {
  it('are generated once, readable only by their owner, and the same on every later start', () => {
    const dataDir = join(root, 'fresh');
    expect(readOwnerToken(dataDir)).toBeUndefined();
    const first = loadOrCreateCredentials(dataDir);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.ownerMcpToken).toMatch(/^qf_[A-Za-z0-9_-]{43}$/);
    expect(statSync(credentialsPath(dataDir)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, '_gateway')).mode & 0o777).toBe(0o700);

    expect(loadOrCreateCredentials(dataDir)).toEqual(first);
    expect(readOwnerToken(dataDir)).toBe(first.ownerMcpToken);
    // Another install gets its own.
    expect(loadOrCreateCredentials(join(root, 'other')).ownerMcpToken).not.toBe(first.ownerMcpToken);
  });

  it('refuse a damaged file naming it, rather than silently replacing the tokens in use', () => {
    const dataDir = join(root, 'damaged');
    loadOrCreateCredentials(dataDir);
    writeFileSync(credentialsPath(dataDir), '{"sessionSecret": "short"}');
    expect(() => loadOrCreateCredentials(dataDir)).toThrow(
      `${credentialsPath(dataDir)}: not valid generated credentials; delete the file to generate new ones`,
    );
  });
});
