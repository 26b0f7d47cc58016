import WebSocket from 'ws';

/** A plain `ws` client for tests: collects text frames and close events. */
export interface TestClient {
  readonly frames: string[];
  readonly socket: WebSocket;
  /** Resolves once `n` frames arrived (or rejects if the socket closes first). */
  waitFor(n: number): Promise<string[]>;
  /** Resolves when the server ends the connection. */
  closed: Promise<void>;
  close(): void;
}

/** Connects and collects every text frame. */
export async function connectClient(url: string): Promise<TestClient> {
  const socket = new WebSocket(url);
  const frames: string[] = [];
  let waiters: Array<{ n: number; resolve: (f: string[]) => void; reject: (e: Error) => void }> = [];
  let isClosed = false;
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      isClosed = true;
      for (const w of waiters) w.reject(new Error(`closed after ${frames.length} frames, wanted ${w.n}`));
      waiters = [];
      resolve();
    });
  });
  socket.on('message', (data) => {
    frames.push(data.toString());
    waiters = waiters.filter((w) => {
      if (frames.length < w.n) return true;
      w.resolve(frames.slice(0, w.n));
      return false;
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    frames,
    socket,
    closed,
    waitFor: (n) =>
      frames.length >= n
        ? Promise.resolve(frames.slice(0, n))
        : isClosed
          ? Promise.reject(new Error(`closed after ${frames.length} frames, wanted ${n}`))
          : new Promise((resolve, reject) => waiters.push({ n, resolve, reject })),
    close: () => socket.close(),
  };
}
