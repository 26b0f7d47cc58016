/**
 * The Telegram bot of one process, when secrets.yaml has `telegram.botToken`: long polling
 * against config `telegram.apiRoot`, `/price` and `/chart` from the store (and the gateway's
 * live-bar cache), free text to the agents when a model is configured. The owner pairs their
 * Telegram account with the code printed at start (`/start CODE`); others need a code the owner
 * issues, or an allowlist entry.
 */
import type { AgentRuntime } from '../agents/runtime/agent.ts';
import type { Logger } from '../core/logger.ts';
import type { LiveBarCache } from '../gateway/api/index.ts';
import {
  createAccessStore,
  createTelegramBot,
  type TelegramBot,
  telegramAlertSink,
} from '../gateway/telegram/index.ts';
import { alertToolsOf } from '../mcp-servers/registry.ts';
import type { McpServices } from '../mcp-servers/services.ts';
import type { AlertSink } from '../pipeline/alerts/index.ts';
import type { Config } from './config/index.ts';
import { OWNER_USER_ID } from './credentials.ts';

/** A polling bot. */
export interface RunningTelegram {
  readonly bot: TelegramBot;
  /** A one-time code pairing the owner's Telegram account (`/start <code>`), fresh at every start. */
  readonly ownerPairingCode: string;
  /** Minutes the code stays valid. */
  readonly pairingCodeTtlMinutes: number;
  /** Alerts to the chats paired to the alert's user, through the bot's per-chat queue. */
  readonly alertSink: AlertSink;
  stop(): Promise<void>;
}

/** Starts the bot; resolves once long polling runs. */
export async function startTelegram(
  deps: {
    readonly logger: Logger;
    readonly services: McpServices;
    readonly agents?: AgentRuntime;
    readonly liveBars?: LiveBarCache;
  },
  config: Config,
  token: string,
): Promise<RunningTelegram> {
  const { telegram } = config;
  const access = createAccessStore({ dataDir: deps.services.dataDir, allowlist: telegram.allowlist });
  const bot = createTelegramBot(
    {
      market: deps.services.market,
      access,
      alerts: alertToolsOf(deps.services),
      logger: deps.logger,
      ...(deps.agents ? { agents: deps.agents } : {}),
      ...(deps.liveBars ? { liveBars: deps.liveBars } : {}),
    },
    {
      token,
      apiRoot: telegram.apiRoot,
      privateIntervalMs: telegram.privateIntervalMs,
      groupIntervalMs: telegram.groupIntervalMs,
      maxRetryAfterSeconds: telegram.maxRetryAfterSeconds,
      chartBars: telegram.chartBars,
      chartPeriods: telegram.chartPeriods,
    },
  );
  await bot.start();
  const code = access.issuePairingCode({
    userId: OWNER_USER_ID,
    licence: config.licences.ownerTier,
    ttlMinutes: telegram.pairingCodeTtlMinutes,
  });
  return {
    bot,
    ownerPairingCode: code.code,
    pairingCodeTtlMinutes: telegram.pairingCodeTtlMinutes,
    alertSink: telegramAlertSink({
      api: bot.bot.api,
      access,
      dataDir: deps.services.dataDir,
      logger: deps.logger,
    }),
    stop: () => bot.stop(),
  };
}
