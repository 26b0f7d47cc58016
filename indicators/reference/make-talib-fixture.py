"""Writes talib-heldout.json.gz: the current TA-Lib release's output for every registry
indicator TA-Lib also has, on real candles no other indicator test reads.

Not part of the product or the test run; rerun it to refresh the fixture when TA-Lib
releases (the versions used are recorded in the file):

    python3 -m venv /tmp/talib-venv
    /tmp/talib-venv/bin/pip install TA-Lib numpy     # 0.6+ wheels bundle the C library
    /tmp/talib-venv/bin/python indicators/reference/make-talib-fixture.py

Input series (read from ../shared/data, see its PROVENANCE.md; the test rebuilds them the
same way from the same files, so only TA-Lib's outputs are stored here):
  XRPETH-1m   candles/freqtrade-XRP_ETH-1m-from-trades-2019-10-11.csv, all 1,022 rows
              (prices ~0.0013 ETH: the low-price end, where a fixed epsilon on the
              variance used to zero the deviation)
  BTCUSDT-1s  trades/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz
              aggregated to 1-second candles (first/max/min/last price, qty summed in
              file order; seconds without trades are absent): ~61,000 USDT prices with
              cent-sized moves, the case where E[x^2]-E[x]^2 cancels worst.
"""

import csv
import gzip
import json
import math
import os
import sys

import numpy as np
import talib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'shared', 'data'))
OUT = os.path.join(HERE, 'talib-heldout.json.gz')

XRPETH_1M = 'candles/freqtrade-XRP_ETH-1m-from-trades-2019-10-11.csv'
BTCUSDT_TRADES = 'trades/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz'


def xrpeth_1m():
    with open(os.path.join(DATA, XRPETH_1M), newline='') as f:
        rows = list(csv.DictReader(f))
    cols = {k: np.array([float(r[k]) for r in rows]) for k in ('open', 'high', 'low', 'close', 'volume')}
    cols['time_ms'] = np.array([float(r['open_time_ms']) for r in rows])
    return cols


def btcusdt_1s():
    buckets = []  # [second, open, high, low, close, volume]
    with gzip.open(os.path.join(DATA, BTCUSDT_TRADES), 'rt', newline='') as f:
        for row in csv.reader(f):
            price, qty, second = float(row[1]), float(row[2]), int(row[4]) // 1000
            if buckets and buckets[-1][0] == second:
                b = buckets[-1]
                b[2] = max(b[2], price)
                b[3] = min(b[3], price)
                b[4] = price
                b[5] = b[5] + qty  # plain left-to-right float sum, as the test does
            else:
                buckets.append([second, price, price, price, price, qty])
    names = ('time_ms', 'open', 'high', 'low', 'close', 'volume')
    cols = {n: np.array([b[i] for b in buckets], dtype=np.float64) for i, n in enumerate(names)}
    cols['time_ms'] = cols['time_ms'] * 1000
    return cols


# (registry name, params as the registry spells them, [(registry output, TA-Lib label, values)])
def cases(s, vwap_session_minutes):
    h, l, c, v = s['high'], s['low'], s['close'], s['volume']
    donchian = talib.DONCHIAN(h, l, 20)
    macd = talib.MACD(c, 12, 26, 9)
    bb20 = talib.BBANDS(c, 20, 2, 2, 0)
    bb10 = talib.BBANDS(c, 10, 1, 2.5, 0)
    stoch = talib.STOCH(h, l, c, 14, 3, 0, 3, 0)
    aroon = talib.AROON(h, l, 14)
    plus_di, minus_di, adx = talib.PLUS_DI(h, l, c, 14), talib.MINUS_DI(h, l, c, 14), talib.ADX(h, l, c, 14)
    return [
        ('sma', {'period': 20}, [('sma', 'SMA(close,20)', talib.SMA(c, 20))]),
        ('ema', {'period': 20}, [('ema', 'EMA(close,20)', talib.EMA(c, 20))]),
        ('wma', {'period': 20}, [('wma', 'WMA(close,20)', talib.WMA(c, 20))]),
        ('dema', {'period': 20}, [('dema', 'DEMA(close,20)', talib.DEMA(c, 20))]),
        ('tema', {'period': 20}, [('tema', 'TEMA(close,20)', talib.TEMA(c, 20))]),
        ('trima', {'period': 20}, [('trima', 'TRIMA(close,20)', talib.TRIMA(c, 20))]),
        ('kama', {'period': 30}, [('kama', 'KAMA(close,30)', talib.KAMA(c, 30))]),
        ('macd', {'fast': 12, 'slow': 26, 'signal': 9},
         [(o, f'MACD(close,12,26,9).{t}', a) for o, t, a in zip(('macd', 'signal', 'hist'), ('macd', 'macdsignal', 'macdhist'), macd)]),
        ('bbands', {'period': 20, 'devUp': 2, 'devDown': 2},
         [(o, f'BBANDS(close,20,2,2,SMA).{o}band', a) for o, a in zip(('upper', 'middle', 'lower'), bb20)]),
        ('bbands', {'period': 10, 'devUp': 1, 'devDown': 2.5},
         [(o, f'BBANDS(close,10,1,2.5,SMA).{o}band', a) for o, a in zip(('upper', 'middle', 'lower'), bb10)]),
        ('stddev', {'period': 20, 'nbDev': 1}, [('stddev', 'STDDEV(close,20,1)', talib.STDDEV(c, 20, 1))]),
        ('stddev', {'period': 5, 'nbDev': 2}, [('stddev', 'STDDEV(close,5,2)', talib.STDDEV(c, 5, 2))]),
        ('stddev', {'period': 200, 'nbDev': 1}, [('stddev', 'STDDEV(close,200,1)', talib.STDDEV(c, 200, 1))]),
        ('rsi', {'period': 14}, [('rsi', 'RSI(close,14)', talib.RSI(c, 14))]),
        ('roc', {'period': 10}, [('roc', 'ROC(close,10)', talib.ROC(c, 10))]),
        ('mom', {'period': 10}, [('mom', 'MOM(close,10)', talib.MOM(c, 10))]),
        ('cci', {'period': 20}, [('cci', 'CCI(high,low,close,20)', talib.CCI(h, l, c, 20))]),
        ('willr', {'period': 14}, [('willr', 'WILLR(high,low,close,14)', talib.WILLR(h, l, c, 14))]),
        ('stoch', {'fastK': 14, 'slowK': 3, 'slowD': 3},
         [(o, f'STOCH(high,low,close,14,3,SMA,3,SMA).{o}', a) for o, a in zip(('slowk', 'slowd'), stoch)]),
        ('ultosc', {'period1': 7, 'period2': 14, 'period3': 28},
         [('ultosc', 'ULTOSC(high,low,close,7,14,28)', talib.ULTOSC(h, l, c, 7, 14, 28))]),
        ('aroon', {'period': 14}, [(o, f'AROON(high,low,14).aroon{o}', a) for o, a in zip(('down', 'up'), aroon)]),
        ('adx', {'period': 14}, [('adx', 'ADX(high,low,close,14)', adx)]),
        ('plus_di', {'period': 14}, [('plus_di', 'PLUS_DI(high,low,close,14)', plus_di)]),
        ('minus_di', {'period': 14}, [('minus_di', 'MINUS_DI(high,low,close,14)', minus_di)]),
        ('dmi', {'period': 14}, [('plus_di', 'PLUS_DI(high,low,close,14)', plus_di),
                                 ('minus_di', 'MINUS_DI(high,low,close,14)', minus_di),
                                 ('adx', 'ADX(high,low,close,14)', adx)]),
        ('trange', {}, [('trange', 'TRANGE(high,low,close)', talib.TRANGE(h, l, c))]),
        ('atr', {'period': 14}, [('atr', 'ATR(high,low,close,14)', talib.ATR(h, l, c, 14))]),
        ('natr', {'period': 14}, [('natr', 'NATR(high,low,close,14)', talib.NATR(h, l, c, 14))]),
        ('sar', {'acceleration': 0.02, 'maximum': 0.2}, [('sar', 'SAR(high,low,0.02,0.2)', talib.SAR(h, l, 0.02, 0.2))]),
        ('obv', {}, [('obv', 'OBV(close,volume)', talib.OBV(c, v))]),
        ('ad', {}, [('ad', 'AD(high,low,close,volume)', talib.AD(h, l, c, v))]),
        ('adosc', {'fast': 3, 'slow': 10}, [('adosc', 'ADOSC(high,low,close,volume,3,10)', talib.ADOSC(h, l, c, v, 3, 10))]),
        ('mfi', {'period': 14}, [('mfi', 'MFI(high,low,close,volume,14)', talib.MFI(h, l, c, v, 14))]),
        # TA-Lib 0.8 additions whose definitions match ours. Its VWAP is cumulative from the
        # first bar: our session VWAP equals it while the series stays inside one session.
        ('donchian', {'period': 20},
         [(o, f'DONCHIAN(high,low,20).{o}band', a) for o, a in zip(('upper', 'middle', 'lower'), donchian)]),
        ('hma', {'period': 20}, [('hma', 'HMA(close,20)', talib.HMA(c, 20))]),
        ('vwma', {'period': 30}, [('vwma', 'VWMA(close,volume,30)', talib.VWMA(c, v, 30))]),
        ('vwap', {'sessionMinutes': vwap_session_minutes, 'offsetMinutes': 0},
         [('vwap', 'VWAP(high,low,close,volume)', talib.VWAP(h, l, c, v))]),
    ]


# 13 significant digits: rounding moves a value by at most 5e-13 of itself, 2,000 times
# less than the 1e-9 the test allows, and keeps the file a third smaller than full
# round-trip precision.
SIGNIFICANT_DIGITS = 13


def number(x):
    # NaN (inside TA-Lib's lookback) as null.
    return None if math.isnan(x) else float(f'{x:.{SIGNIFICANT_DIGITS}g}')


def main():
    series = []
    # VWAP session: the XRP/ETH day is one daily session; the BTC seconds cross midnight UTC,
    # so they use the longest session (525,600 minutes; no boundary falls inside them).
    for name, source, cols, session in (
        ('XRPETH-1m', XRPETH_1M, xrpeth_1m(), 1440),
        ('BTCUSDT-1s', BTCUSDT_TRADES, btcusdt_1s(), 525600),
    ):
        columns = {}  # TA-Lib label -> values, each stored once
        out = []
        for indicator, params, outputs in cases(cols, session):
            for _, label, values in outputs:
                columns.setdefault(label, [number(x) for x in np.asarray(values, dtype=np.float64)])
            out.append({'indicator': indicator, 'params': params, 'outputs': {o: label for o, label, _ in outputs}})
        series.append({'name': name, 'source': source, 'rows': len(cols['close']), 'cases': out, 'columns': columns})
    doc = {
        'talib': {'python': talib.__version__, 'c': talib.__ta_version__.decode().split(' ')[0]},
        'numpy': np.__version__,
        'significantDigits': SIGNIFICANT_DIGITS,
        'python': sys.version.split(' ')[0],
        'series': series,
    }
    with gzip.GzipFile(OUT, 'wb', mtime=0) as f:
        f.write(json.dumps(doc, separators=(',', ':')).encode())
    print(OUT, os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
