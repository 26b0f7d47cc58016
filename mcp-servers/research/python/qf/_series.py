"""series:// references: Parquet files of this user's tool results, read-only at $QF_SERIES."""
import os
import re
import time

import polars as pl

_ID = re.compile(r"^([0-9a-z]{1,11})_[A-Za-z0-9_-]{16}$")
PREFIX = "series://"


def load(uri):
    """The rows of a series:// reference an MCP tool returned, as a polars DataFrame."""
    if not isinstance(uri, str) or not uri.startswith(PREFIX):
        raise ValueError(f'"{uri}" is not a series reference; expected series://<id> from a tool result')
    ref = uri[len(PREFIX):]
    m = _ID.match(ref)
    if m is None:
        raise ValueError(f"{uri} is not a series reference this store made")
    if int(m.group(1), 36) <= time.time() * 1000:
        raise LookupError(f"{uri} has expired; ask the tool again for a fresh reference")
    path = os.path.join(os.environ.get("QF_SERIES", "/qf/series"), ref + ".parquet")
    if not os.path.exists(path):
        raise LookupError(f"{uri} is unknown (or not yours)")
    return pl.read_parquet(path)
