"""Bars and trades from the store, through DuckDB, as polars DataFrames."""
import datetime as _dt
import re

import duckdb

from . import _catalog

_END = 2**62
_UNITS_US = {"m": 60_000_000, "h": 3_600_000_000, "d": 86_400_000_000, "w": 7 * 86_400_000_000}
_MONDAY_US = 4 * 86_400_000_000  # 1970-01-01 was a Thursday; weeks start on Monday


def _to_us(t, default):
    """None, epoch µs (int), a datetime (naive = UTC) or ISO text (UTC unless it says otherwise)."""
    if t is None:
        return default
    if isinstance(t, bool):
        raise TypeError("a time is not a bool")
    if isinstance(t, int):
        return t
    if isinstance(t, str):
        t = _dt.datetime.fromisoformat(t.replace("Z", "+00:00"))
    if isinstance(t, _dt.date) and not isinstance(t, _dt.datetime):
        t = _dt.datetime(t.year, t.month, t.day)
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        return int(t.timestamp() * 1_000_000)
    raise TypeError(f"cannot read {t!r} as a time")


def _bucket_sql(period, col):
    m = re.fullmatch(r"(\d+)([mhdwM])", period)
    if m is None:
        raise ValueError(f'period "{period}" is not one of 1m, 5m, 15m, 1h, 4h, 1d, 1w, 1M ...')
    n, unit = int(m.group(1)), m.group(2)
    if unit == "M":
        if n != 1:
            raise ValueError("only 1M is supported among month periods")
        return f"(epoch_us(date_trunc('month', make_timestamp({col}))))"
    size = n * _UNITS_US[unit]
    off = _MONDAY_US if unit == "w" else 0
    return f"((({col} - {off}) // {size}) * {size} + {off})"


_BAR_COLS = """to_timestamp(open_time_us / 1e6) AS time, open::DOUBLE AS open, high::DOUBLE AS high,
  low::DOUBLE AS low, close::DOUBLE AS close, volume::DOUBLE AS volume,
  taker_buy_volume::DOUBLE AS taker_buy_volume, trade_count::BIGINT AS trade_count,
  quote_volume::DOUBLE AS quote_volume, open_time_us"""


def _con():
    return duckdb.connect(":memory:")


def bars(symbol, period="1m", start=None, end=None, exchange="BINANCE"):
    """OHLCV bars with open time in [start, end), oldest first, as a polars DataFrame.

    1m bars are the stored ones (the highest revision of each); longer periods are aggregated
    from them (UTC-aligned, weeks from Monday), or read as stored when there are no 1m bars.
    """
    lo, hi = _to_us(start, 0), _to_us(end, _END)
    one = _catalog.live_files("bars_1m", exchange, symbol)
    src_lo = lo
    if period != "1m":
        bucket = _bucket_sql(period, "$t")
        src_lo = _con().execute(f"SELECT {bucket.replace('$t', str(lo))}").fetchone()[0]
    picked = _catalog.in_range(one, src_lo, hi)
    aggregate = period != "1m" and len(picked) > 0
    if period != "1m" and not aggregate:
        picked = _catalog.in_range(_catalog.live_files(f"bars_{period}", exchange, symbol), lo, hi)
    if not picked:
        return _con().sql(f"SELECT {_BAR_COLS} FROM (SELECT 0::BIGINT AS open_time_us, 0::DECIMAL(38,18) AS open, 0::DECIMAL(38,18) AS high, 0::DECIMAL(38,18) AS low, 0::DECIMAL(38,18) AS close, 0::DECIMAL(38,18) AS volume, 0::DECIMAL(38,18) AS taker_buy_volume, 0 AS trade_count, 0::DECIMAL(38,18) AS quote_volume) WHERE false").pl()
    src = "SELECT * FROM read_parquet($files) WHERE open_time_us >= $lo AND open_time_us < $hi"
    if _catalog.has_overlap(picked):
        src += " QUALIFY row_number() OVER (PARTITION BY open_time_us ORDER BY revision DESC, version DESC) = 1"
    if aggregate:
        b = _bucket_sql(period, "open_time_us")
        sql = f"""WITH src AS ({src}), agg AS (
            SELECT b AS open_time_us, arg_min(open, open_time_us) AS open, max(high) AS high, min(low) AS low,
              arg_max(close, open_time_us) AS close, sum(volume) AS volume,
              sum(taker_buy_volume) AS taker_buy_volume, sum(trade_count) AS trade_count,
              sum(quote_volume) AS quote_volume
            FROM (SELECT *, {b} AS b FROM src) GROUP BY b)
          SELECT {_BAR_COLS} FROM agg WHERE open_time_us >= {lo} ORDER BY open_time_us"""
    else:
        sql = f"WITH src AS ({src}) SELECT {_BAR_COLS} FROM src ORDER BY open_time_us"
    return _con().sql(sql, params={"files": _catalog.paths(picked), "lo": src_lo, "hi": hi}).pl()


def trades(symbol, start=None, end=None, exchange="BINANCE"):
    """Stored trades with time in [start, end), in seq order, as a polars DataFrame.

    side: 1 when the buyer was the aggressor, 2 when the seller was.
    """
    lo, hi = _to_us(start, 0), _to_us(end, _END)
    picked = _catalog.in_range(_catalog.live_files("trades", exchange, symbol), lo, hi)
    cols = """seq, to_timestamp(time_us / 1e6) AS time, price::DOUBLE AS price, quantity::DOUBLE AS quantity,
      quote_quantity::DOUBLE AS quote_quantity, side::INTEGER AS side, trade_id, time_us"""
    if not picked:
        return _con().sql(f"SELECT {cols} FROM (SELECT 0::BIGINT AS seq, 0::BIGINT AS time_us, 0::DOUBLE AS price, 0::DOUBLE AS quantity, 0::DOUBLE AS quote_quantity, 0 AS side, ''::VARCHAR AS trade_id) WHERE false").pl()
    src = "SELECT * FROM read_parquet($files) WHERE time_us >= $lo AND time_us < $hi"
    if _catalog.has_overlap(picked):
        src += " QUALIFY row_number() OVER (PARTITION BY seq) = 1"
    sql = f"WITH src AS ({src}) SELECT {cols} FROM src ORDER BY seq"
    return _con().sql(sql, params={"files": _catalog.paths(picked), "lo": lo, "hi": hi}).pl()
