/**
 * Temporary files (chart images, plots) per user: `<dir>/<userId>/<id>` holds the bytes and
 * `<id>.json` its content type and expiry. A file is only ever found under its owner's folder,
 * so another user's id reads as missing; an expired one too, and `sweep()` deletes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import { SAFE_ID } from '../../mcp-servers/common/context.ts';
import type { Clock } from '../types.ts';

/** Content types served; anything a browser would run as a page (HTML, SVG) is refused. */
export const FILE_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'text/csv',
  'application/json',
  'application/pdf',
] as const;
export type FileContentType = (typeof FILE_CONTENT_TYPES)[number];

/** A file id: 128 random bits, base64url. */
export const FILE_ID = /^[A-Za-z0-9_-]{22}$/;

const metaSchema = z.object({
  contentType: z.enum(FILE_CONTENT_TYPES),
  expiresAt: z.number(),
});

export interface FileStoreOptions {
  /** Root folder, e.g. `<dataDir>/_files`. */
  readonly dir: string;
  /** How long a file stays readable. */
  readonly ttlMs: number;
  /** Largest file accepted. */
  readonly maxBytes: number;
  readonly clock?: Clock;
}

/** What `put` stored. */
export interface StoredFile {
  readonly id: string;
  /** Path under the gateway, `/files/<id>`. */
  readonly path: string;
  readonly contentType: FileContentType;
  readonly bytes: number;
  readonly expiresAt: number;
}

export interface FileStore {
  /** Stores `data` for `userId`; throws InvalidInputError when too large or of a refused type. */
  put(userId: string, data: Uint8Array, contentType: string): Promise<StoredFile>;
  /** The owner's unexpired file, or undefined (unknown, another user's, or expired). */
  get(
    userId: string,
    id: string,
  ): Promise<
    { readonly data: Buffer; readonly contentType: FileContentType; readonly expiresAt: number } | undefined
  >;
  /** Deletes every expired file; resolves with how many. */
  sweep(): Promise<number>;
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');

export function createFileStore(options: FileStoreOptions): FileStore {
  const clock = options.clock ?? Date.now;
  const userDir = (userId: string): string => {
    if (!SAFE_ID.test(userId)) throw new InvalidInputError('userId', `"${userId}" is not a valid user id`);
    return join(options.dir, userId);
  };
  const readMeta = async (dir: string, id: string): Promise<z.infer<typeof metaSchema> | undefined> => {
    try {
      const parsed = metaSchema.safeParse(JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      if (isMissing(error) || error instanceof SyntaxError) return undefined;
      throw error;
    }
  };
  const remove = (dir: string, id: string): Promise<unknown> =>
    Promise.all([rm(join(dir, id), { force: true }), rm(join(dir, `${id}.json`), { force: true })]);

  return {
    async put(userId, data, contentType) {
      const dir = userDir(userId);
      const type = metaSchema.shape.contentType.safeParse(contentType);
      if (!type.success) {
        throw new InvalidInputError(
          'contentType',
          `"${contentType}" is not served; valid: ${FILE_CONTENT_TYPES.join(', ')}`,
        );
      }
      if (data.byteLength > options.maxBytes) {
        throw new InvalidInputError('data', `${data.byteLength} bytes; the limit is ${options.maxBytes}`);
      }
      const id = randomBytes(16).toString('base64url');
      const expiresAt = clock() + options.ttlMs;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // The bytes first: a meta file always points at complete data.
      await writeFile(join(dir, id), data, { mode: 0o600 });
      await writeFile(join(dir, `${id}.json`), JSON.stringify({ contentType: type.data, expiresAt }), {
        mode: 0o600,
      });
      return { id, path: `/files/${id}`, contentType: type.data, bytes: data.byteLength, expiresAt };
    },
    async get(userId, id) {
      if (!FILE_ID.test(id) || !SAFE_ID.test(userId)) return undefined;
      const dir = userDir(userId);
      const meta = await readMeta(dir, id);
      if (meta === undefined || clock() >= meta.expiresAt) return undefined;
      try {
        return { data: await readFile(join(dir, id)), ...meta };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async sweep() {
      const now = clock();
      let removed = 0;
      let users: string[];
      try {
        users = await readdir(options.dir);
      } catch (error) {
        if (isMissing(error)) return 0;
        throw error;
      }
      for (const user of users) {
        const dir = join(options.dir, user);
        let names: string[];
        try {
          names = await readdir(dir);
        } catch (error) {
          if (isMissing(error)) continue;
          throw error;
        }
        const ids = new Set(names.map((n) => n.replace(/\.json$/, '')).filter((n) => FILE_ID.test(n)));
        for (const id of ids) {
          const meta = await readMeta(dir, id);
          // A file without readable meta (a crash between the two writes) is garbage too.
          if (meta === undefined || now >= meta.expiresAt) {
            await remove(dir, id);
            removed += 1;
          }
        }
      }
      return removed;
    },
  };
}
