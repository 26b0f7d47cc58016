/**
 * A local server that speaks the Anthropic Messages API (`POST /v1/messages`) well enough for the
 * real `@anthropic-ai/sdk`: JSON answers, SSE streaming (text, tool_use with `input_json_delta`,
 * thinking, `message_delta` with stop reason and usage), and errors in the API's error shape with
 * their status codes and headers (429 + `retry-after`, 529 `overloaded_error`, 500 `api_error`).
 *
 * Turns are scripted: a queue of replies, each a reply or a function of the request. Every request
 * is recorded (headers and parsed body) so a test asserts on what the client sent.
 *
 * @example
 * const server = await startMessagesServer();
 * server.enqueue(
 *   { toolUse: { name: 'mcp__market-data__get_bars', input: { symbol: 'BTCUSDT' } } },
 *   { text: ['The close was ', '97 000 USDT.'] },
 * );
 * const client = new Anthropic({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
 * // … then: expect(server.requests[1]?.body.messages).toHaveLength(3)
 * await server.close();
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  type ScriptedError,
  type ScriptedMessage,
  type ScriptedReply,
  streamEvents,
  toScriptedMessage,
  toWireMessage,
  type WireMessage,
} from './scripted-reply.ts';

export type {
  ScriptedBlock,
  ScriptedError,
  ScriptedMessage,
  ScriptedReply,
  ScriptedUsage,
} from './scripted-reply.ts';

/** A queue entry: a reply, or a function of the recorded request that returns one. */
export type ScriptedTurn = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

/** What the client sent, as the server parsed it. */
export interface RecordedRequest {
  /** 0-based order of arrival. */
  readonly index: number;
  readonly method: string;
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: MessagesRequestBody;
  /** True when the client went away before the answer was complete. */
  readonly aborted: boolean;
}

const cacheControlSchema = z.object({ type: z.literal('ephemeral') }).loose();

/** The request fields the server reads; everything else is kept as sent. */
const messagesRequestSchema = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.unknown() }).loose()),
    system: z
      .union([z.string(), z.array(z.object({ type: z.literal('text'), text: z.string() }).loose())])
      .optional(),
    tools: z.array(z.object({ name: z.string() }).loose()).optional(),
    stream: z.boolean().optional(),
  })
  .loose();

/** A parsed `POST /v1/messages` body. */
export type MessagesRequestBody = z.infer<typeof messagesRequestSchema>;

/** A running scripted server. */
export interface MessagesServer {
  /** `http://127.0.0.1:<port>`: the SDK's `baseURL`. */
  readonly url: string;
  /** Every request so far, in order of arrival. */
  readonly requests: readonly RecordedRequest[];
  /** Appends replies to the queue; each request takes the next one. */
  enqueue(...turns: ScriptedTurn[]): void;
  /** Replies still queued. */
  pending(): number;
  /** Stops listening and drops open connections (held streams included). */
  close(): Promise<void>;
}

/** Options of {@link startMessagesServer}. */
export interface MessagesServerOptions {
  /** Answers a request when the queue is empty; without it the server answers 500 saying so. */
  readonly fallback?: (request: RecordedRequest) => ScriptedReply;
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The API allows at most four cache breakpoints per request. */
const MAX_CACHE_BREAKPOINTS = 4;

/** Starts a scripted Messages API server on 127.0.0.1 (a free port). */
export async function startMessagesServer(options: MessagesServerOptions = {}): Promise<MessagesServer> {
  const queue: ScriptedTurn[] = [];
  const requests: RecordedRequest[] = [];

  const server = createServer(function messagesHandler(req, res) {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, { kind: 'error', status: 500, message: String(error) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(req);
    if (req.method !== 'POST' || path !== '/v1/messages') {
      sendError(res, { kind: 'error', status: 404, message: `${req.method} ${path} is not served here` });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      sendError(res, { kind: 'error', status: 400, message: 'request body is not JSON' });
      return;
    }
    const parsed = messagesRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      sendError(res, {
        kind: 'error',
        status: 400,
        message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid request'}`,
      });
      return;
    }
    const record = {
      index: requests.length,
      method: req.method,
      path,
      headers: flatHeaders(req),
      body: parsed.data,
      aborted: false,
    };
    requests.push(record);
    // The client may go away at any point; note it for assertions.
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });

    const breakpoints = countCacheControl(parsed.data);
    if (breakpoints > MAX_CACHE_BREAKPOINTS) {
      sendError(res, {
        kind: 'error',
        status: 400,
        message: `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`,
      });
      return;
    }

    const turn = queue.shift();
    const reply =
      turn === undefined
        ? (options.fallback?.(record) ?? {
            kind: 'error' as const,
            status: 500,
            message: `scripted server: no reply queued for request ${record.index}`,
          })
        : typeof turn === 'function'
          ? turn(record)
          : turn;

    if (reply.kind === 'error') {
      sendError(res, reply);
      return;
    }
    const message = toWireMessage(reply, parsed.data.model);
    if (parsed.data.stream === true) await sendStream(res, message, toScriptedMessage(reply));
    else sendJson(res, 200, message);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue(...turns) {
      queue.push(...turns);
    },
    pending() {
      return queue.length;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Counts `cache_control` markers anywhere in the request (tools, system, message blocks). */
function countCacheControl(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + countCacheControl(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let n = cacheControlSchema.safeParse((value as Record<string, unknown>).cache_control).success ? 1 : 0;
  for (const [key, child] of Object.entries(value))
    if (key !== 'cache_control') n += countCacheControl(child);
  return n;
}

async function sendStream(
  res: ServerResponse,
  message: WireMessage,
  scripted: ScriptedMessage,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': `req_${randomUUID()}`,
  });
  const events = streamEvents(message, scripted);
  for (let i = 0; i < events.length; i += 1) {
    if (scripted.holdAfterEvents === i) {
      // Keep the response open until the client goes away or the server closes.
      await new Promise<void>((resolve) => res.once('close', resolve));
      return;
    }
    if (scripted.dropAfterEvents === i) {
      // Let what was written reach the client first (an SSE comment, which clients ignore).
      await new Promise<void>((resolve) => res.write(':\n\n', () => resolve()));
      res.destroy();
      return;
    }
    if (scripted.streamErrorAfterEvents?.events === i) {
      const { type, message: text } = scripted.streamErrorAfterEvents;
      writeEvent(res, 'error', { type: 'error', error: { type, message: text ?? type } });
      res.end();
      return;
    }
    writeEvent(res, events[i]!.event, events[i]!.data);
  }
  res.end();
}

function writeEvent(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': `req_${randomUUID()}`,
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ScriptedError): void {
  const type =
    error.type ?? ERROR_TYPES[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
  sendJson(
    res,
    error.status,
    { type: 'error', error: { type, message: error.message ?? type } },
    { ...error.headers },
  );
}
