import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../app.ts';
import { createLoginLinks } from '../auth/index.ts';
import { ALICE_TOKEN, BOB_TOKEN, bearer, SECRET, TIERS } from '../testing/gateway.ts';
import { createFileStore } from './store.ts';

const root = mkdtempSync(join(tmpdir(), 'qf-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const TTL_MS = 60_000;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function filesGateway(name: string) {
  const clock = { now: Date.UTC(2030, 0, 1) };
  const now = (): number => clock.now;
  const dir = join(root, name);
  const files = createFileStore({ dir, ttlMs: TTL_MS, maxBytes: 64, clock: now });
  const { app } = createGateway(
    { ready: () => [], loginLinks: createLoginLinks({ ttlMs: 60_000, clock: now }), files },
    {
      sessionSecret: SECRET,
      tokens: {
        [ALICE_TOKEN]: { userId: 'alice', licence: 'pro' },
        [BOB_TOKEN]: { userId: 'bob', licence: 'pro' },
      },
      tiers: TIERS,
      clock: now,
    },
  );
  return { app, files, clock, dir };
}

describe('gateway /files', () => {
  it('serves a file to its owner only: 401 without a credential, 404 to another user or an unknown id', async () => {
    const { app, files } = filesGateway('owner');
    const stored = await files.put('alice', PNG, 'image/png');
    expect(stored.path).toBe(`/files/${stored.id}`);
    const url = `http://gw.test${stored.path}`;

    const own = await app.request(url, { headers: bearer(ALICE_TOKEN) });
    expect(own.status).toBe(200);
    expect(own.headers.get('Content-Type')).toBe('image/png');
    expect(own.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(PNG);

    expect((await app.request(url)).status).toBe(401);
    const other = await app.request(url, { headers: bearer(BOB_TOKEN) });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: string }).error).toBe('not_found');
    const unknown = await app.request('http://gw.test/files/AAAAAAAAAAAAAAAAAAAAAA', {
      headers: bearer(ALICE_TOKEN),
    });
    expect(unknown.status).toBe(404);
    const traversal = await app.request('http://gw.test/files/..%2F..%2Fetc%2Fpasswd', {
      headers: bearer(ALICE_TOKEN),
    });
    expect(traversal.status).toBe(404);
  });

  it('expires a file after the ttl, and the sweep deletes expired files from disk only', async () => {
    const { app, files, clock, dir } = filesGateway('expiry');
    const old = await files.put('alice', PNG, 'image/png');
    clock.now += TTL_MS / 2;
    const young = await files.put('bob', PNG, 'application/json');
    clock.now += TTL_MS / 2 - 1;
    expect((await app.request(`http://gw.test${old.path}`, { headers: bearer(ALICE_TOKEN) })).status).toBe(
      200,
    );
    clock.now += 1;
    expect((await app.request(`http://gw.test${old.path}`, { headers: bearer(ALICE_TOKEN) })).status).toBe(
      404,
    );
    expect(existsSync(join(dir, 'alice', old.id))).toBe(true);

    expect(await files.sweep()).toBe(1);
    expect(existsSync(join(dir, 'alice', old.id))).toBe(false);
    expect(existsSync(join(dir, 'alice', `${old.id}.json`))).toBe(false);
    expect((await app.request(`http://gw.test${young.path}`, { headers: bearer(BOB_TOKEN) })).status).toBe(
      200,
    );
  });

  it('refuses a file over the size limit and a type a browser would run, naming what is valid', async () => {
    const { files } = filesGateway('refuse');
    await expect(files.put('alice', new Uint8Array(65), 'image/png')).rejects.toThrow(
      /65 bytes; the limit is 64/,
    );
    await expect(files.put('alice', PNG, 'text/html')).rejects.toThrow(
      /"text\/html" is not served; valid: image\/png/,
    );
    await expect(files.put('../x', PNG, 'image/png')).rejects.toThrow(/not a valid user id/);
  });
});
