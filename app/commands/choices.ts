/**
 * The valid values the CLI's help texts list (venues, periods, stages, formats, servers).
 * Kept apart from the commands so `quantforge --help` loads these constants, not the code
 * that uses them.
 */

export { PERIODS } from '../../core/periods/index.ts';
export { MCP_SERVER_NAMES } from '../../mcp-servers/server-names.ts';
export { BACKFILL_DATASETS } from '../../pipeline/backfill/types.ts';
export { REPLAY_FORMATS } from '../../pipeline/runtime/replay-formats.ts';
export { PIPELINE_STAGES } from '../../pipeline/runtime/stages.ts';
export { VENUE_IDS } from '../../pipeline/venues/binance/index.ts';
