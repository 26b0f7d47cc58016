/**
 * Replay of recorded venue data: streaming readers for hftbacktest websocket recordings,
 * cryptofeed captures and data.binance.vision CSVs, and a venue-time pacer.
 */
export {
  detectRecordingFormat,
  type RecordingFormat,
  readAnyWsRecordingBatches,
} from './any-recording.ts';
export {
  type CsvAggTrade,
  type CsvKline,
  type CsvTrade,
  readAggTradesCsv,
  readAggTradesCsvBatches,
  readKlinesCsv,
  readKlinesCsvBatches,
  readTradesCsv,
  readTradesCsvBatches,
} from './binance-csv.ts';
export { readCryptofeedCapture, secondsToNs } from './cryptofeed.ts';
export { ReplayFormatError } from './errors.ts';
export { openByteStream, type ReadLinesOptions, readLineBatches, readLines } from './lines.ts';
export { parseReplaySpeed, type ReplayOptions, type ReplaySpeed, replay } from './pace.ts';
export { readRecordingAsRawFrames, symbolOfStream, toRawFrame } from './raw-frames.ts';
export {
  classifyMessage,
  type RecordedKind,
  type RecordedMessage,
  readIntField,
  readWsRecording,
  readWsRecordingBatches,
  streamPayload,
} from './ws-recording.ts';
