import { z } from 'zod';

/** A live request on a stream connection, as Binance accepts them. */
const requestSchema = z.object({
  method: z.enum(['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS']),
  params: z.array(z.string()).optional(),
  id: z.union([z.number().int().nonnegative(), z.string(), z.null()]),
});

export type StreamRequest = z.infer<typeof requestSchema>;

/** A parsed request, or the error reply Binance sends for it. */
export type ParsedRequest = { ok: true; request: StreamRequest } | { ok: false; reply: string };

function errorReply(code: number, msg: string, id: unknown): string {
  return JSON.stringify({ error: { code, msg }, id: id ?? null });
}

/** Parses one client text frame (pure). */
export function parseStreamRequest(text: string): ParsedRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reply: errorReply(3, `Invalid JSON: ${(err as Error).message}`, null) };
  }
  const parsed = requestSchema.safeParse(json);
  if (!parsed.success) {
    const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : null;
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'request';
    const msg =
      where === 'method'
        ? 'Invalid request: unknown method, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS'
        : `Invalid request: ${where}: ${issue?.message ?? 'malformed'}`;
    return { ok: false, reply: errorReply(2, msg, id) };
  }
  return { ok: true, request: parsed.data };
}

/** Applies a request to a subscription set and returns the reply frame (pure apart from `subs`). */
export function applyStreamRequest(subs: Set<string>, request: StreamRequest): string {
  switch (request.method) {
    case 'SUBSCRIBE':
      for (const s of request.params ?? []) subs.add(s);
      return JSON.stringify({ result: null, id: request.id });
    case 'UNSUBSCRIBE':
      for (const s of request.params ?? []) subs.delete(s);
      return JSON.stringify({ result: null, id: request.id });
    case 'LIST_SUBSCRIPTIONS':
      return JSON.stringify({ result: [...subs], id: request.id });
  }
}
