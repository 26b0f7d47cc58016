/**
 * The whole `config.yaml` schema, composed from each component's section schema.
 * Components own their `config.ts`; sections whose component does not exist yet live in
 * `./sections/` until it does.
 */
import { z } from 'zod';
import { busConfigSchema } from '../../pipeline/bus/config.ts';
import { processorsConfigSchema } from '../../pipeline/processors/config.ts';
import { realtimeConfigSchema } from '../../pipeline/realtime/config.ts';
import { StoreConfigSchema } from '../../pipeline/store/config.ts';
import { agentsConfigSchema } from './sections/agents.ts';
import { gatewayConfigSchema } from './sections/gateway.ts';
import { licencesConfigSchema } from './sections/licences.ts';
import { logConfigSchema } from './sections/log.ts';
import { mcpConfigSchema } from './sections/mcp.ts';
import { researchConfigSchema } from './sections/research.ts';
import { telegramConfigSchema } from './sections/telegram.ts';
import { venuesConfigSchema } from './sections/venues.ts';

/** `config.yaml`: every non-secret setting. Unknown keys are errors (typos are caught). */
export const configSchema = z.strictObject({
  bus: busConfigSchema
    .prefault({})
    .describe('Event bus between components: embedded (one process) or Kafka.'),
  store: StoreConfigSchema.prefault({}).describe('Historical store (Parquet + DuckDB).'),
  venues: venuesConfigSchema.prefault({}).describe('Market data sources.'),
  processors: processorsConfigSchema
    .prefault({})
    .describe('Pipeline processors: dedup, sequencer, bars and streaming indicators.'),
  realtime: realtimeConfigSchema.prefault({}).describe('Realtime fan-out over ZeroMQ.'),
  gateway: gatewayConfigSchema.prefault({}).describe('Gateway HTTP server.'),
  mcp: mcpConfigSchema.prefault({}).describe('MCP servers.'),
  research: researchConfigSchema
    .prefault({})
    .describe('Research sandbox: Python over the stored history in per-user folders.'),
  telegram: telegramConfigSchema.prefault({}).describe('Telegram bot.'),
  agents: agentsConfigSchema.prefault({}).describe('Agent runtime.'),
  licences: licencesConfigSchema
    .prefault({})
    .describe('Licence tiers → features, read by the gateway and the agents alike.'),
  log: logConfigSchema.prefault({}).describe('Logging.'),
});

/** The parsed `config.yaml` (before freezing). */
export type ConfigShape = z.output<typeof configSchema>;
