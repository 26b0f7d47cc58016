/** A WebSocket client for tests of the hub: open, with every server message recorded in order. */
import { type ClientOptions, WebSocket } from 'ws';
import type { ServerMessage } from '../protocol.ts';

/** Opens `url` and resolves once open; `messages` collects every message the server sends, parsed. */
export async function openRecordingSocket(
  url: string,
  options: ClientOptions,
): Promise<{ ws: WebSocket; messages: ServerMessage[] }> {
  const ws = new WebSocket(url, options);
  const messages: ServerMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as ServerMessage));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages };
}
