import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/data` beside the repository root: the real recorded data (see its PROVENANCE.md). */
export const SHARED_DATA = path.resolve(
  fileURLToPath(new URL('../../../', import.meta.url)),
  '..',
  'shared',
  'data',
);

/** Absolute path of a file under `../shared/data`. */
export function sharedData(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

export const SPOT_WS_FILES = [
  sharedData('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
  sharedData('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
];
export const USDM_WS_FILE = sharedData('binance-ws-recorded', 'usdm', 'btcusdt_20240808.gz');
export const SPOT_TRADES_CSV = sharedData(
  'trades',
  'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz',
);
export const USDM_TRADES_CSV = sharedData(
  'trades',
  'binance-usdm-BTCUSDT-trades-20240808T2354Z-20240808T2359Z.csv.gz',
);
export const XRPETH_AGG_CSV = sharedData('trades', 'binance-spot-XRPETH-aggTrades-2019-10-11.csv');
export const ADABTC_KLINES_CSV = sharedData('candles', 'binance-spot-ADABTC-1m-2021-11-27.csv');
export const SPOT_EXCHANGE_INFO = sharedData('rest', 'binance-spot-exchangeInfo-full-20211012.json');
