/** The recorded-file formats `replayFile` reads, and the guess from a file's name. */
import { basename } from 'node:path';

export const REPLAY_FORMATS = [
  'binance-ws',
  'binance-trades-csv',
  'binance-aggtrades-csv',
  'binance-klines-csv',
] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

/** Guesses the format from a file name (data.binance.vision and hftbacktest naming). */
export function guessReplayFormat(path: string): ReplayFormat {
  const name = basename(path).toLowerCase();
  if (name.includes('aggtrades')) return 'binance-aggtrades-csv';
  if (name.includes('trades') && /\.csv(\.gz)?$/.test(name)) return 'binance-trades-csv';
  if (/-(1s|\d+[mhdw]|1mo)-/.test(name) && /\.csv(\.gz)?$/.test(name)) return 'binance-klines-csv';
  return 'binance-ws';
}
