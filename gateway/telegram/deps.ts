/**
 * What the bot is built over (`deps`, interfaces the application wires) and how it behaves
 * (`options`, from the `telegram` config section).
 */
import type { Context } from 'grammy';
import type { AgentRuntime } from '../../agents/runtime/agent.ts';
import type { Logger } from '../../core/logger.ts';
import type { MarketDataSource } from '../../mcp-servers/common/index.ts';
import type { AlertToolsDeps } from '../../mcp-servers/market-data/deps.ts';
import type { LiveBarCache } from '../api/live-bars.ts';
import type { AccessStore, TelegramMember } from './access/store.ts';

/** Dependencies of `createTelegramBot`. Required: `market`, `access`; the rest optional. */
export interface TelegramBotDeps {
  /** The historical store: `/price` and `/chart` read it, never the model. */
  readonly market: MarketDataSource;
  /** Recent bars of the live feed; when it holds the series, `/price` answers from it. */
  readonly liveBars?: Pick<LiveBarCache, 'latest'>;
  /** The coordinator; absent (no model configured), free text gets a short refusal. */
  readonly agents?: Pick<AgentRuntime, 'chat' | 'reset'>;
  readonly access: AccessStore;
  /** The users' alert rules and per-licence limit (as the MCP alert tools); absent, `/alerts` is off. */
  readonly alerts?: AlertToolsDeps;
  readonly logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
}

/** Behaviour of the bot. */
export interface TelegramBotOptions {
  /** Bot API token (secrets.yaml `telegram.botToken`). */
  readonly token: string;
  /** Bot API root, e.g. `https://api.telegram.org` or a local emulator. */
  readonly apiRoot: string;
  /** Least time between two calls to one private chat, ms (Telegram: about 1 message/s). */
  readonly privateIntervalMs: number;
  /** Least time between two calls to one group, ms (Telegram: 20 messages/minute). */
  readonly groupIntervalMs: number;
  /** Longest `retry_after` honoured, s; a longer one fails the call. */
  readonly maxRetryAfterSeconds: number;
  /** Bars drawn by `/chart`. */
  readonly chartBars: number;
  /** Periods offered by the `/chart` keyboard (the first four fit one row). */
  readonly chartPeriods: readonly string[];
}

/** The context of every update: `member` is set once the access layer admitted the sender. */
export type BotContext = Context & { member?: TelegramMember };
