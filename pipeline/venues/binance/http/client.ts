/**
 * The Binance REST transport. It tracks request weight from `X-MBX-USED-WEIGHT-1M` and
 * waits for the next minute rather than crossing the limit; it honours `Retry-After` on
 * 429 (too many requests) and 418 (IP banned until then): wait, then retry, as long as the
 * wait is within `maxWaitMs`. 5xx and network failures are retried with exponential
 * backoff. `fetch`, `sleep` and the clock are injected so tests run against a local server.
 */
import type { Logger } from '../../../../core/logger.ts';
import {
  BinanceClientError,
  BinanceNetworkError,
  BinanceRateLimitError,
  type BinanceRequestContext,
  BinanceServerError,
} from '../errors.ts';

/** Dependencies of {@link createBinanceHttpClient}; all optional. */
export interface BinanceHttpDeps {
  readonly fetch?: typeof globalThis.fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Epoch ms. */
  readonly now?: () => number;
  readonly logger?: Logger;
}

/** Options of {@link createBinanceHttpClient}. */
export interface BinanceHttpClientOptions {
  /** e.g. https://api.binance.com (no trailing slash). */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** Retries of retriable failures per request. */
  readonly maxRetries: number;
  /** Longest Retry-After / ban / weight wait we sit out before failing, ms. */
  readonly maxWaitMs: number;
  readonly weightLimitPerMinute: number;
  /** First backoff after a 5xx or network failure, ms (doubles each time; default 250). */
  readonly retryBaseDelayMs?: number;
}

/** Query parameters; undefined values are left out. */
export type QueryParams = Readonly<Record<string, string | number | undefined>>;

/** A REST transport bound to one base URL. */
export interface BinanceHttpClient {
  /** GETs `path` (e.g. `/api/v3/klines`) and returns the parsed JSON body. */
  get(path: string, params?: QueryParams, options?: { readonly weight?: number }): Promise<unknown>;
  /** Weight used in the current minute, as Binance last reported it. */
  usedWeight(): number;
  /** Epoch ms until which Binance banned us (418), or undefined. */
  bannedUntil(): number | undefined;
}

const MINUTE_MS = 60_000;

function toQuery(params: QueryParams | undefined): string {
  if (params === undefined) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** Retry-After in seconds (Binance) or an HTTP date, as ms from now; undefined when absent or bad. */
function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function parseErrorBody(text: string): { code?: number; msg?: string } {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null) {
      const { code, msg } = body as { code?: unknown; msg?: unknown };
      return {
        ...(typeof code === 'number' ? { code } : {}),
        ...(typeof msg === 'string' ? { msg } : {}),
      };
    }
  } catch {
    // not JSON: the raw text is used below
  }
  return {};
}

/**
 * Creates a REST client.
 * @example
 * const http = createBinanceHttpClient({}, { baseUrl: 'https://api.binance.com', timeoutMs: 10_000,
 *   maxRetries: 5, maxWaitMs: 120_000, weightLimitPerMinute: 6000 });
 * const info = await http.get('/api/v3/exchangeInfo', undefined, { weight: 20 });
 */
export function createBinanceHttpClient(
  deps: BinanceHttpDeps,
  options: BinanceHttpClientOptions,
): BinanceHttpClient {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const baseDelay = options.retryBaseDelayMs ?? 250;
  let used = 0;
  let usedMinute = -1;
  let banned: number | undefined;

  function currentUsed(): number {
    return Math.floor(now() / MINUTE_MS) === usedMinute ? used : 0;
  }

  async function waitOrThrow(ms: number, request: BinanceRequestContext, status: number, why: string) {
    if (ms > options.maxWaitMs) {
      throw new BinanceRateLimitError(`${why}; retry after ${ms} ms exceeds maxWaitMs ${options.maxWaitMs}`, {
        status,
        request,
        retryAfterMs: ms,
        ...(banned !== undefined ? { bannedUntilMs: banned } : {}),
      });
    }
    deps.logger?.warn({ path: request.path, waitMs: ms }, why);
    await sleep(ms);
  }

  /** Before sending: sit out a ban, and do not cross the weight limit. */
  async function beforeSend(weight: number, request: BinanceRequestContext): Promise<void> {
    const t = now();
    if (banned !== undefined && banned > t) {
      await waitOrThrow(
        banned - t,
        request,
        418,
        `Binance banned this IP until ${new Date(banned).toISOString()}`,
      );
    }
    if (currentUsed() + weight > options.weightLimitPerMinute) {
      const untilNextMinute = MINUTE_MS - (now() % MINUTE_MS) + 50;
      await waitOrThrow(
        untilNextMinute,
        request,
        429,
        `request weight ${currentUsed()}+${weight} would exceed ${options.weightLimitPerMinute}/min`,
      );
    }
  }

  function recordWeight(headers: Headers): void {
    const h = headers.get('x-mbx-used-weight-1m') ?? headers.get('x-mbx-used-weight');
    if (h === null) return;
    const n = Number(h);
    if (Number.isFinite(n)) {
      used = n;
      usedMinute = Math.floor(now() / MINUTE_MS);
    }
  }

  async function get(
    path: string,
    params?: QueryParams,
    opts: { readonly weight?: number } = {},
  ): Promise<unknown> {
    const pathAndQuery = `${path}${toQuery(params)}`;
    const request: BinanceRequestContext = { method: 'GET', path: pathAndQuery };
    const url = `${options.baseUrl}${pathAndQuery}`;
    const weight = opts.weight ?? 1;
    for (let attempt = 0; ; attempt++) {
      await beforeSend(weight, request);
      let response: Response;
      try {
        response = await doFetch(url, { method: 'GET', signal: AbortSignal.timeout(options.timeoutMs) });
      } catch (cause) {
        const err = new BinanceNetworkError(
          `GET ${pathAndQuery}: could not reach ${options.baseUrl} (${(cause as Error).message ?? String(cause)})`,
          { request, cause },
        );
        if (attempt >= options.maxRetries) throw err;
        await sleep(baseDelay * 2 ** attempt);
        continue;
      }
      recordWeight(response.headers);
      const text = await response.text();
      if (response.ok) {
        try {
          return JSON.parse(text) as unknown;
        } catch (cause) {
          throw new BinanceServerError(`GET ${pathAndQuery}: response is not JSON`, {
            status: response.status,
            request,
            retriable: false,
            cause,
          });
        }
      }
      const { code, msg } = parseErrorBody(text);
      const detail = `GET ${pathAndQuery}: HTTP ${response.status}${code !== undefined ? ` code ${code}` : ''}: ${msg ?? text.slice(0, 200)}`;
      const codeInit = code !== undefined ? { code } : {};
      if (response.status === 429 || response.status === 418) {
        const ra = retryAfterMs(response.headers.get('retry-after'), now());
        const waitMs = ra ?? MINUTE_MS - (now() % MINUTE_MS);
        if (response.status === 418) banned = now() + waitMs;
        if (attempt >= options.maxRetries) {
          throw new BinanceRateLimitError(detail, {
            status: response.status,
            request,
            retryAfterMs: waitMs,
            ...codeInit,
            ...(response.status === 418 ? { bannedUntilMs: banned } : {}),
          });
        }
        await waitOrThrow(waitMs, request, response.status, detail);
        continue;
      }
      if (response.status >= 500) {
        const err = new BinanceServerError(detail, {
          status: response.status,
          request,
          retriable: true,
          ...codeInit,
        });
        if (attempt >= options.maxRetries) throw err;
        await sleep(baseDelay * 2 ** attempt);
        continue;
      }
      throw new BinanceClientError(detail, {
        status: response.status,
        request,
        retriable: false,
        ...codeInit,
      });
    }
  }

  return { get, usedWeight: currentUsed, bannedUntil: () => banned };
}
