/** Test support: the real recordings the replay readers and the simulator are tested on. */
import { recordedData } from '../../../../test/support/index.ts';

export const SPOT_WS_FILES = [
  recordedData('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
  recordedData('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
];
export const USDM_WS_FILE = recordedData('binance-ws-recorded', 'usdm', 'btcusdt_20240808.gz');
export const SPOT_TRADES_CSV = recordedData(
  'trades',
  'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz',
);
export const USDM_TRADES_CSV = recordedData(
  'trades',
  'binance-usdm-BTCUSDT-trades-20240808T2354Z-20240808T2359Z.csv.gz',
);
export const XRPETH_AGG_CSV = recordedData('trades', 'binance-spot-XRPETH-aggTrades-2019-10-11.csv');
export const ADABTC_KLINES_CSV = recordedData('candles', 'binance-spot-ADABTC-1m-2021-11-27.csv');
export const SPOT_EXCHANGE_INFO = recordedData('rest', 'binance-spot-exchangeInfo-full-20211012.json');
