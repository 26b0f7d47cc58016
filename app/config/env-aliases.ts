/**
 * Conventional environment names that set QuantForge keys (lower precedence than `QF_*`).
 */
/** Conventional variable names mapped to config.yaml key paths (lower precedence than `QF_*`). */
export const CONFIG_ENV_ALIASES: Readonly<Record<string, readonly string[]>> = {
  KAFKA_BROKERS: ['bus', 'kafka', 'brokers'],
  LOG_LEVEL: ['log', 'level'],
  ANTHROPIC_BASE_URL: ['agents', 'anthropic', 'baseUrl'],
};

/** Conventional variable names mapped to secrets.yaml key paths (lower precedence than `QF_SECRET_*`). */
export const SECRETS_ENV_ALIASES: Readonly<Record<string, readonly string[]>> = {
  TELEGRAM_BOT_TOKEN: ['telegram', 'botToken'],
  ANTHROPIC_API_KEY: ['anthropic', 'apiKey'],
};
