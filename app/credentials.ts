/**
 * First-run credentials of a self-hosted install: the gateway's session secret and the owner's
 * MCP bearer token, generated once into `<dataDir>/_gateway/credentials.json` (mode 0600, its
 * folder 0700) and read back on every later start, so links and Claude configs keep working.
 * A session secret in secrets.yaml (`gateway.sessionSecret`) takes precedence over the file's.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/config/index.ts';

/** User id of the install owner (the generated token and the printed login link). */
export const OWNER_USER_ID = 'owner';

const credentialsSchema = z.strictObject({
  sessionSecret: z.string().min(32),
  ownerMcpToken: z.string().min(32),
  createdAt: z.string(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

/** Where the generated credentials of `dataDir` live. */
export function credentialsPath(dataDir: string): string {
  return join(dataDir, '_gateway', 'credentials.json');
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'ENOENT';

function read(path: string): Credentials | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError([
      {
        source: path,
        path: '',
        message: 'not valid generated credentials; delete the file to generate new ones',
      },
    ]);
  }
  return parsed.data;
}

/**
 * The credentials of `dataDir`: read when the file exists, else generated and written (exclusive
 * create, so two processes starting at once keep one pair: the loser reads the winner's).
 */
export function loadOrCreateCredentials(dataDir: string): Credentials {
  const path = credentialsPath(dataDir);
  const existing = read(path);
  if (existing !== undefined) return existing;
  const fresh: Credentials = {
    sessionSecret: randomBytes(32).toString('base64url'),
    ownerMcpToken: `qf_${randomBytes(32).toString('base64url')}`,
    createdAt: new Date().toISOString(),
  };
  mkdirSync(join(dataDir, '_gateway'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return read(path) ?? fresh;
    throw error;
  }
  // The umask may have narrowed the mode further, never widened it; make it exactly 0600.
  chmodSync(path, 0o600);
  return fresh;
}

/** The owner token of `dataDir` when one was generated; undefined before the first start. */
export function readOwnerToken(dataDir: string): string | undefined {
  return read(credentialsPath(dataDir))?.ownerMcpToken;
}
