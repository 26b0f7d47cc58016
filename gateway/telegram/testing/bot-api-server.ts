/**
 * A local Bot API server for tests: speaks `/bot<token>/<method>` (JSON, form or multipart
 * bodies) for what the bot calls — getMe, getUpdates (long polling with offsets), sendMessage,
 * sendMessageDraft, editMessageText, sendPhoto, editMessageMedia, answerCallbackQuery,
 * setMyCommands, sendChatAction, deleteWebhook — records every call, lets a test inject user
 * messages and button presses, and answers 429 with `parameters.retry_after` (or any error) on demand.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TelegramBotOptions } from '../deps.ts';

/** One recorded call. `rejected` is set for a call answered with an error (e.g. a 429). */
export interface RecordedCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** Uploaded files by field name (multipart). */
  readonly files: Record<string, Uint8Array>;
  readonly at: number;
  readonly rejected?: number;
}

/** A user as the emulator knows them. */
export interface FakeUser {
  readonly id: number;
  readonly first_name: string;
  readonly username?: string;
}

/** A chat: private (id = user id) or a group (negative id). */
export interface FakeChat {
  readonly id: number;
  readonly type: 'private' | 'group' | 'supergroup';
  readonly title?: string;
}

interface StoredMessage {
  message_id: number;
  date: number;
  chat: FakeChat;
  from: FakeUser;
  text?: string;
  caption?: string;
  photo?: { file_id: string; file_unique_id: string; width: number; height: number }[];
  reply_markup?: unknown;
}

/** The running emulator. */
export interface BotApiServer {
  /** Pass as grammY `client.apiRoot`. */
  readonly apiRoot: string;
  readonly token: string;
  readonly bot: FakeUser;
  /** Every call so far, in arrival order. */
  readonly calls: readonly RecordedCall[];
  /** Calls of one method (successful ones unless `withRejected`). */
  callsOf(method: string, withRejected?: boolean): RecordedCall[];
  /** Resolves with the first call (already made or future) matching `match`. */
  waitForCall(match: (call: RecordedCall) => boolean, what: string): Promise<RecordedCall>;
  /** Queues a text message from `from` in `chat` (default their private chat); entities computed. */
  sendText(from: FakeUser, text: string, chat?: FakeChat): StoredMessage;
  /** Queues a press of `data` on the bot's message `messageId` in `chatId`. */
  pressButton(from: FakeUser, chatId: number, messageId: number, data: string): void;
  /** The next `count` calls of `method` are answered 429 with `retry_after` seconds. */
  rateLimitNext(method: string, retryAfterSeconds: number, count?: number): void;
  /** The next call of `method` to `chatId` is answered with error `code` (e.g. 500, 403). */
  failNext(method: string, chatId: number, code: number, description: string): void;
  /** A message the bot sent (latest state after edits). */
  message(chatId: number, messageId: number): StoredMessage | undefined;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

async function readParams(
  req: IncomingMessage,
): Promise<{ params: Json; files: Record<string, Uint8Array> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  const params: Json = {};
  const files: Record<string, Uint8Array> = {};
  if (body.length === 0) return { params, files };
  if (type.includes('application/json')) return { params: JSON.parse(body.toString('utf8')) as Json, files };
  if (type.includes('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
    if (boundary === undefined) throw new Error('multipart body without a boundary');
    for (const part of multipartParts(body, boundary)) {
      if (part.filename === undefined) setParam(params, part.name, part.data.toString('utf8'));
      else files[part.name] = new Uint8Array(part.data);
    }
    return { params, files };
  }
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) setParam(params, key, value);
  return { params, files };
}

function setParam(params: Json, key: string, value: string): void {
  try {
    params[key] = JSON.parse(value);
  } catch {
    params[key] = value;
  }
}

/** The parts of a multipart body (a small tolerant parser: grammY streams its own framing). */
function multipartParts(body: Buffer, boundary: string): { name: string; filename?: string; data: Buffer }[] {
  const parts: { name: string; filename?: string; data: Buffer }[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const chunk = body.subarray(start + delimiter.length, next);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      let data = chunk.subarray(headerEnd + 4);
      if (data.subarray(data.length - 2).toString() === '\r\n') data = data.subarray(0, data.length - 2);
      const name = /name="([^"]*)"/.exec(headers)?.[1];
      const filename = /filename="?([^";\r\n]+)"?/.exec(headers)?.[1];
      if (name !== undefined) parts.push({ name, ...(filename === undefined ? {} : { filename }), data });
    }
    start = next;
  }
  return parts;
}

function entitiesOf(text: string): { type: string; offset: number; length: number }[] {
  const entities: { type: string; offset: number; length: number }[] = [];
  const command = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
  if (command !== null) entities.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const m of text.matchAll(/@\w+/g)) {
    if (command !== null && m.index < command[0].length) continue;
    entities.push({ type: 'mention', offset: m.index, length: m[0].length });
  }
  return entities;
}

/** Starts the emulator on a free port of 127.0.0.1. */
export async function startBotApiServer(
  o: { token?: string; botUsername?: string } = {},
): Promise<BotApiServer> {
  const token = o.token ?? '123456789:TEST-token-for-the-local-bot-api';
  const bot: FakeUser = {
    id: 123456789,
    first_name: 'QuantForge',
    username: o.botUsername ?? 'quantforge_test_bot',
  };
  const calls: RecordedCall[] = [];
  const updates: Json[] = [];
  const messages = new Map<string, StoredMessage>();
  const nextMessageId = new Map<number, number>();
  const rateLimits = new Map<string, { retryAfter: number; count: number }>();
  const failures = new Map<string, { code: number; description: string }>();
  const callWaiters = new Set<() => void>();
  let updateWaiters: (() => void)[] = [];
  let nextUpdateId = 1;
  let callbackId = 1;
  let closing = false;

  const now = () => Math.floor(Date.now() / 1000);
  const keyOf = (chatId: number, messageId: number) => `${chatId}/${messageId}`;
  function newMessageId(chatId: number): number {
    const id = (nextMessageId.get(chatId) ?? 0) + 1;
    nextMessageId.set(chatId, id);
    return id;
  }
  function chatOf(id: unknown): FakeChat {
    const n = Number(id);
    return n > 0 ? { id: n, type: 'private' } : { id: n, type: 'supergroup', title: 'group' };
  }
  function pushUpdate(update: Json): void {
    updates.push({ update_id: nextUpdateId++, ...update });
    const waiting = updateWaiters;
    updateWaiters = [];
    for (const w of waiting) w();
  }
  function record(call: RecordedCall): void {
    calls.push(call);
    for (const w of [...callWaiters]) w();
  }
  function botMessage(params: Json, fields: Partial<StoredMessage>): StoredMessage {
    const chat = chatOf(params.chat_id);
    const message: StoredMessage = {
      message_id: newMessageId(chat.id),
      date: now(),
      chat,
      from: bot,
      ...fields,
      ...(params.reply_markup === undefined ? {} : { reply_markup: params.reply_markup }),
    };
    messages.set(keyOf(chat.id, message.message_id), message);
    return message;
  }
  function photoOf(fileKey: string) {
    return [{ file_id: `photo-${fileKey}`, file_unique_id: fileKey, width: 1000, height: 600 }];
  }

  /** Method → handler; a thrown `[code, description]` becomes an error answer. */
  const methods: Record<
    string,
    (params: Json, files: Record<string, Uint8Array>) => unknown | Promise<unknown>
  > = {
    getMe: () => ({
      ...bot,
      is_bot: true,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    deleteWebhook: () => true,
    setMyCommands: () => true,
    sendChatAction: () => true,
    sendMessageDraft: (p) => {
      if (typeof p.text !== 'string' || p.text.length === 0 || p.text.length > 4096)
        throw [400, 'Bad Request: text is empty or too long'];
      if (!Number.isInteger(p.draft_id) || p.draft_id === 0)
        throw [400, 'Bad Request: draft_id must be non-zero'];
      return true;
    },
    sendMessage: (p) => {
      if (typeof p.text !== 'string' || p.text.trim().length === 0)
        throw [400, 'Bad Request: message text is empty'];
      if (p.text.length > 4096) throw [400, 'Bad Request: message is too long'];
      return botMessage(p, { text: p.text });
    },
    editMessageText: (p) => {
      const m = messages.get(keyOf(Number(p.chat_id), Number(p.message_id)));
      if (m === undefined) throw [400, 'Bad Request: message to edit not found'];
      if (typeof p.text !== 'string' || p.text.length > 4096) throw [400, 'Bad Request: message is too long'];
      if (m.text === p.text) throw [400, 'Bad Request: message is not modified'];
      m.text = p.text;
      return m;
    },
    sendPhoto: (p, files) => {
      const key = typeof p.photo === 'string' && p.photo.startsWith('attach://') ? p.photo.slice(9) : 'photo';
      if (files[key] === undefined && typeof p.photo !== 'string') throw [400, 'Bad Request: no photo'];
      return botMessage(p, {
        photo: photoOf(`${calls.length}`),
        ...(typeof p.caption === 'string' ? { caption: p.caption } : {}),
      });
    },
    editMessageMedia: (p, files) => {
      const m = messages.get(keyOf(Number(p.chat_id), Number(p.message_id)));
      if (m === undefined) throw [400, 'Bad Request: message to edit not found'];
      const media = p.media as { type?: string; media?: string; caption?: string } | undefined;
      const key = media?.media?.startsWith('attach://') ? media.media.slice(9) : '';
      if (media?.type !== 'photo' || files[key] === undefined)
        throw [400, 'Bad Request: expected an uploaded photo'];
      m.photo = photoOf(`${calls.length}`);
      if (media.caption !== undefined) m.caption = media.caption;
      if (p.reply_markup !== undefined) m.reply_markup = p.reply_markup;
      return m;
    },
    answerCallbackQuery: () => true,
    getUpdates: async (p) => {
      const offset = Number(p.offset ?? 0);
      const limit = Number(p.limit ?? 100);
      const timeoutS = Number(p.timeout ?? 0);
      // Confirming an offset forgets the updates before it, as the real server does.
      while (updates.length > 0 && Number(updates[0]!.update_id) < offset) updates.shift();
      if (updates.length === 0 && timeoutS > 0 && !closing) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutS * 1000);
          updateWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return updates.slice(0, limit);
    },
  };

  const server: Server = createServer((req, res) => {
    const url = `http://127.0.0.1${req.url ?? '/'}`;
    const answer = (status: number, body: Json) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(url).pathname);
      if (m === null || m[1] !== token)
        return answer(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = m[2]!;
      const { params, files } = await readParams(req);
      const handler = methods[method];
      if (handler === undefined)
        return answer(404, { ok: false, error_code: 404, description: `Not Found: ${method}` });
      const limit = rateLimits.get(method);
      if (limit !== undefined && limit.count > 0) {
        limit.count -= 1;
        record({ method, params, files, at: Date.now(), rejected: 429 });
        return answer(429, {
          ok: false,
          error_code: 429,
          description: `Too Many Requests: retry after ${limit.retryAfter}`,
          parameters: { retry_after: limit.retryAfter },
        });
      }
      const failure = failures.get(`${method}|${String(params.chat_id)}`);
      if (failure !== undefined) {
        failures.delete(`${method}|${String(params.chat_id)}`);
        record({ method, params, files, at: Date.now(), rejected: failure.code });
        return answer(failure.code, {
          ok: false,
          error_code: failure.code,
          description: failure.description,
        });
      }
      try {
        const result = await handler(params, files);
        if (method !== 'getUpdates') record({ method, params, files, at: Date.now() });
        answer(200, { ok: true, result });
      } catch (error) {
        if (!Array.isArray(error)) throw error;
        const [code, description] = error as [number, string];
        record({ method, params, files, at: Date.now(), rejected: code });
        answer(code, { ok: false, error_code: code, description });
      }
    })().catch((error: unknown) => answer(500, { ok: false, error_code: 500, description: String(error) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    bot,
    calls,
    callsOf: (method, withRejected = false) =>
      calls.filter((c) => c.method === method && (withRejected || c.rejected === undefined)),
    waitForCall(match, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = calls.find(match);
          if (hit === undefined) return false;
          callWaiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          callWaiters.delete(check);
          reject(
            new Error(
              `timed out waiting for ${what}; calls: ${calls.map((c) => (c.method === 'sendMessage' ? `sendMessage(${String(c.params.text).slice(0, 200)})` : c.method)).join(', ')}`,
            ),
          );
        }, 15_000);
        if (!check()) callWaiters.add(check);
      });
    },
    sendText(from, text, chat) {
      const where = chat ?? { id: from.id, type: 'private' as const };
      const message: StoredMessage & { entities?: unknown } = {
        message_id: newMessageId(where.id),
        date: now(),
        chat: where,
        from,
        text,
      };
      const entities = entitiesOf(text);
      pushUpdate({ message: { ...message, ...(entities.length > 0 ? { entities } : {}) } });
      return message;
    },
    pressButton(from, chatId, messageId, data) {
      const message = messages.get(keyOf(chatId, messageId));
      if (message === undefined) throw new Error(`no bot message ${messageId} in chat ${chatId}`);
      pushUpdate({
        callback_query: { id: String(callbackId++), from, message, chat_instance: String(chatId), data },
      });
    },
    rateLimitNext(method, retryAfterSeconds, count = 1) {
      rateLimits.set(method, { retryAfter: retryAfterSeconds, count });
    },
    failNext(method, chatId, code, description) {
      failures.set(`${method}|${chatId}`, { code, description });
    },
    message: (chatId, messageId) => messages.get(keyOf(chatId, messageId)),
    async close() {
      closing = true;
      for (const w of updateWaiters) w();
      updateWaiters = [];
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Bot options against `server`: no pacing between calls, 30 s longest retry, 60-bar charts of `chartPeriods`. */
export function emulatorOptions(server: BotApiServer, chartPeriods: readonly string[]): TelegramBotOptions {
  return {
    token: server.token,
    apiRoot: server.apiRoot,
    privateIntervalMs: 0,
    groupIntervalMs: 0,
    maxRetryAfterSeconds: 30,
    chartBars: 60,
    chartPeriods,
  };
}
