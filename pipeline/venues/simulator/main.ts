/**
 * Runs the Binance venue simulator on the recorded data in ../shared/data and prints its
 * URLs. Run: node --import tsx pipeline/venues/simulator/main.ts [--market spot|usdm]
 * [--speed 1|max] [--port 0] [--loop]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createVenueSimulator } from './index.ts';

const { values } = parseArgs({
  options: {
    market: { type: 'string', default: 'spot' },
    speed: { type: 'string', default: '1' },
    port: { type: 'string', default: '0' },
    loop: { type: 'boolean', default: false },
    data: {
      type: 'string',
      default: path.resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data'),
    },
  },
});
const data = values.data;
const market = values.market === 'usdm' ? 'usdm' : 'spot';
const ws = path.join(data, 'binance-ws-recorded');
const sim = createVenueSimulator(
  {},
  {
    market,
    port: Number(values.port),
    speed: values.speed === 'max' ? 'max' : Number(values.speed),
    loop: values.loop,
    wsRecordings:
      market === 'spot'
        ? [path.join(ws, 'spot', 'btcusdt_20240808.gz'), path.join(ws, 'spot', 'btcusdt_20240809.gz')]
        : [path.join(ws, 'usdm', 'btcusdt_20240808.gz')],
    ...(market === 'spot'
      ? {
          exchangeInfo: path.join(data, 'rest', 'binance-spot-exchangeInfo-full-20211012.json'),
          csv: [
            {
              symbol: 'ADABTC',
              kind: 'klines' as const,
              path: path.join(data, 'candles', 'binance-spot-ADABTC-1m-2021-11-27.csv'),
            },
            {
              symbol: 'XRPETH',
              kind: 'aggTrades' as const,
              path: path.join(data, 'trades', 'binance-spot-XRPETH-aggTrades-2019-10-11.csv'),
            },
          ],
        }
      : {}),
  },
);
await sim.start();
process.stdout.write(`${JSON.stringify({ wsUrl: sim.wsUrl, restUrl: sim.restUrl, market })}\n`);
const shutdown = (): void => {
  sim.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
