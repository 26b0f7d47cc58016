/**
 * Reading the frames of `/ws` on the page. The server is ours and sends {@link ServerMessage}s; a
 * frame that is not JSON or has no known `type` is dropped (undefined) rather than trusted.
 */
import type { ServerMessage } from '../ws/protocol.ts';

const TYPES: ReadonlySet<string> = new Set<ServerMessage['type']>([
  'bar',
  'trade',
  'quote',
  'workspace',
  'chat.start',
  'chat.delta',
  'chat.tool',
  'chat.image',
  'chat.done',
  'chat.error',
  'alert',
  'alerts.unseen',
  'dropped',
  'hello',
  'subscribed',
  'unsubscribed',
  'error',
  'pong',
]);

/** The message in a text frame, or undefined when it is not one. */
export function parseServerMessage(data: unknown): ServerMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && TYPES.has(type) ? (value as ServerMessage) : undefined;
}
