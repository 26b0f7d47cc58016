"""qf.show(df): hands a table to the run_python tool, which returns its first rows to the caller.

The table is written whole as CSV to $QF_OUT (scratch/out/<name>.csv); the tool shows a bounded
head of each table the run wrote there, and the file stays readable with read_file.
"""
import os
import re

_count = [0]


def show(df, name=None):
    """Writes `df` (polars or pandas DataFrame, or anything polars.DataFrame accepts) as a table of this run."""
    import polars as pl

    if not isinstance(df, pl.DataFrame):
        try:
            import pandas as pd

            if isinstance(df, pd.DataFrame):
                df = pl.from_pandas(df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df)
            elif isinstance(df, pd.Series):
                df = pl.from_pandas(df.reset_index())
            else:
                df = pl.DataFrame(df)
        except ImportError:
            df = pl.DataFrame(df)
    _count[0] += 1
    name = name or f"table-{_count[0]}"
    if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name) is None:
        raise ValueError(f'table name "{name}": letters, digits, "_" and "-" only, at most 64')
    out = os.environ.get("QF_OUT", "/workspace/scratch/out")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, name + ".csv")
    df.write_csv(path)
    print(f"[table {name}: {df.height} rows x {df.width} columns -> scratch/out/{name}.csv]", flush=True)
    return df
