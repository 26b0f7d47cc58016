/**
 * Who may use the bot: each Telegram user mapped to one QuantForge user (with their licence and
 * current workspace), admitted by a one-time pairing code that expires or by the allowlist in
 * config. Persisted as one JSON file under the data dir (`<dataDir>/_telegram/access.json`),
 * written atomically (temp file + rename) after every change.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** A Telegram user's QuantForge identity. */
export const telegramMemberSchema = z.strictObject({
  userId: z.string().min(1),
  licence: z.string().min(1),
  workspaceId: z.string().min(1).default('main'),
});
export type TelegramMember = z.infer<typeof telegramMemberSchema>;

/** One allowlist entry: a Telegram user id admitted without a code. */
export interface AllowlistEntry {
  readonly telegramId: number;
  readonly userId: string;
  readonly licence: string;
  readonly workspaceId?: string;
}

const pairingSchema = z.strictObject({
  userId: z.string().min(1),
  licence: z.string().min(1),
  workspaceId: z.string().min(1),
  /** Epoch ms after which the code no longer admits anyone. */
  expiresAt: z.number(),
});

const fileSchema = z.strictObject({
  version: z.literal(1),
  members: z.record(z.string(), telegramMemberSchema),
  codes: z.record(z.string(), pairingSchema),
});
type AccessFile = z.infer<typeof fileSchema>;

/** A code the owner hands to a person, e.g. printed by the CLI. */
export interface PairingCode {
  readonly code: string;
  readonly expiresAt: Date;
}

/** Why a code did not admit: unknown (or already used) or past its expiry. */
export type RedeemResult =
  | { readonly ok: true; readonly member: TelegramMember }
  | { readonly ok: false; readonly reason: 'unknown' | 'expired' };

/** The access store of one bot. */
export interface AccessStore {
  /** The member a Telegram user is, from the store or the allowlist; null for a stranger. */
  memberOf(telegramId: number): TelegramMember | null;
  /** Issues a one-time code admitting whoever redeems it as `userId` with `licence`. */
  issuePairingCode(o: {
    userId: string;
    licence: string;
    workspaceId?: string;
    ttlMinutes: number;
  }): PairingCode;
  /** Redeems `code` for `telegramId`: maps them and burns the code (also when it expired). */
  redeem(telegramId: number, code: string): RedeemResult;
  /** Switches a member's current workspace. */
  setWorkspace(telegramId: number, workspaceId: string): TelegramMember;
  /** Forgets a Telegram user (the allowlist still admits those it names). */
  remove(telegramId: number): void;
  /** The Telegram users (their private chats) mapped to QuantForge user `userId`, ascending. */
  telegramIdsOf(userId: string): number[];
}

/** Inputs of {@link createAccessStore}. */
export interface AccessStoreOptions {
  /** The platform data dir; the file goes to `<dataDir>/_telegram/access.json`. */
  readonly dataDir: string;
  readonly allowlist?: readonly AllowlistEntry[];
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/** Pairing codes: 8 characters from an alphabet without look-alikes (0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Normalises what a person typed: case and separators do not matter. */
export function normalizePairingCode(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Opens (or creates) the access store. */
export function createAccessStore(options: AccessStoreOptions): AccessStore {
  const now = options.now ?? Date.now;
  const path = join(options.dataDir, '_telegram', 'access.json');
  const allow = new Map((options.allowlist ?? []).map((e) => [e.telegramId, e]));
  let state: AccessFile = load();

  function load(): AccessFile {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, members: {}, codes: {} };
      throw error;
    }
    return fileSchema.parse(JSON.parse(text));
  }

  function save(next: AccessFile): void {
    // Expired codes are dropped on every write; the file never grows with them.
    const t = now();
    const codes = Object.fromEntries(Object.entries(next.codes).filter(([, c]) => c.expiresAt > t));
    const kept: AccessFile = { ...next, codes };
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, path);
    state = kept;
  }

  return {
    memberOf(telegramId) {
      const stored = state.members[String(telegramId)];
      if (stored !== undefined) return stored;
      const listed = allow.get(telegramId);
      if (listed === undefined) return null;
      return { userId: listed.userId, licence: listed.licence, workspaceId: listed.workspaceId ?? 'main' };
    },

    issuePairingCode(o) {
      if (!(o.ttlMinutes > 0)) throw new RangeError(`ttlMinutes must be > 0, got ${o.ttlMinutes}`);
      let code = newCode();
      while (state.codes[code] !== undefined) code = newCode();
      const expiresAt = now() + o.ttlMinutes * 60_000;
      save({
        ...state,
        codes: {
          ...state.codes,
          [code]: { userId: o.userId, licence: o.licence, workspaceId: o.workspaceId ?? 'main', expiresAt },
        },
      });
      return { code, expiresAt: new Date(expiresAt) };
    },

    redeem(telegramId, typed) {
      const code = normalizePairingCode(typed);
      const entry = state.codes[code];
      if (entry === undefined) return { ok: false, reason: 'unknown' };
      const { [code]: _burnt, ...codes } = state.codes;
      if (entry.expiresAt <= now()) {
        save({ ...state, codes });
        return { ok: false, reason: 'expired' };
      }
      const member: TelegramMember = {
        userId: entry.userId,
        licence: entry.licence,
        workspaceId: entry.workspaceId,
      };
      save({ ...state, codes, members: { ...state.members, [String(telegramId)]: member } });
      return { ok: true, member };
    },

    setWorkspace(telegramId, workspaceId) {
      const current = this.memberOf(telegramId);
      if (current === null) throw new Error(`Telegram user ${telegramId} is not a member`);
      const member = { ...current, workspaceId };
      save({ ...state, members: { ...state.members, [String(telegramId)]: member } });
      return member;
    },

    remove(telegramId) {
      const { [String(telegramId)]: _gone, ...members } = state.members;
      save({ ...state, members });
    },

    telegramIdsOf(userId) {
      const ids = new Set<number>();
      for (const [id, m] of Object.entries(state.members)) if (m.userId === userId) ids.add(Number(id));
      for (const e of allow.values())
        if (e.userId === userId && state.members[String(e.telegramId)] === undefined) ids.add(e.telegramId);
      return [...ids].sort((a, b) => a - b);
    },
  };
}
