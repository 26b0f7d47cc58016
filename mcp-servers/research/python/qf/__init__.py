"""QuantForge's helper inside the research sandbox: the stored history and series references.

    import qf
    bars = qf.bars("BTCUSDT", "1m", "2024-08-08", "2024-08-10")      # polars DataFrame
    trades = qf.trades("BTCUSDT", "2024-08-08T23:54", "2024-08-09")
    ref = qf.load("series://...")                                       # a reference a tool returned
    qf.show(df, "hourly")        # a table the run_python tool returns (bounded) beside stdout

The store is read-only at $QF_STORE; only files the catalog's current snapshot lists are read,
as the TypeScript reader does (a file being written or compacted away is never seen).
"""
from ._store import bars, trades
from ._series import load
from ._show import show

__all__ = ["bars", "trades", "load", "show"]
