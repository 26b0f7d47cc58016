/**
 * Shared parts of the MCP servers: request context, tool errors, compact output, the
 * `series://` registry (on disk, per user) and its paging tool, market argument handling.
 */
export { BAR_COLUMNS, barsFromSeries, barsToTable } from './bars-table.ts';
export type { BuiltServer } from './built-server.ts';
export {
  CONTEXT_AUTH_KEY,
  type ContextResolver,
  contextFromAuthInfo,
  fixedContext,
  MissingContextError,
  type RequestContext,
  SAFE_ID,
  type ToolExtra,
} from './context.ts';
export {
  closestMatches,
  editDistance,
  errorMessage,
  invalidArgument,
  ToolInputError,
  unknownValue,
} from './errors.ts';
export { guard, toolErrorResult } from './guard.ts';
export {
  barColumns,
  checkBuiltPeriod,
  checkPeriod,
  DEFAULT_EXCHANGE,
  exchangeField,
  fromField,
  knownSeries,
  type LoadBarsOptions,
  type LoadedBars,
  loadBars,
  MAX_BARS,
  parseTime,
  periodField,
  resolveSeries,
  type SeriesId,
  symbolField,
  toField,
} from './market.ts';
export type { MarketDataSource } from './market-source.ts';
export {
  type CompactTable,
  type CompactTableOptions,
  compactTable,
  DEFAULT_TABLE_ROWS,
  formatNumber,
  isoOfUs,
  MAX_TABLE_ROWS,
  textResult,
  toCsv,
} from './output.ts';
export {
  createSeriesRegistry,
  SERIES_URI_PREFIX,
  type SeriesEntry,
  type SeriesInfo,
  type SeriesMissReason,
  type SeriesPage,
  SeriesReferenceError,
  type SeriesRegistry,
  type SeriesRegistryOptions,
  seriesDir,
  type Table,
} from './series-registry.ts';
export { getSeriesInput, registerSeriesTools, type SeriesToolsDeps } from './series-tools.ts';
