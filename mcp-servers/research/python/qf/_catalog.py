"""The store's catalog: CURRENT -> snapshot -> series manifest (whole, or deltas on a parent)."""
import json
import os

FORMAT = "quantforge-store/1"
DELTA = "quantforge-store/1+delta"


def store_dir():
    return os.environ.get("QF_STORE", "/qf/store")


def _read_json(path):
    with open(path, "r", encoding="utf-8") as f:
        return json.load(f)


def _resolve(series_dir, name, depth=0):
    m = _read_json(os.path.join(series_dir, name))
    if m.get("format") == FORMAT:
        return list(m["files"])
    if m.get("format") != DELTA or depth > 64:
        raise RuntimeError(f"store catalog: {name} is not a series manifest")
    files = _resolve(series_dir, m["parent"], depth + 1)
    drop = set(m["remove"])
    kept = [f for f in files if f["path"] not in drop]
    kept.extend(m["add"])
    kept.sort(key=lambda f: (f["minTimeUs"], f["path"]))
    return kept


def live_files(dataset, venue, symbol):
    """Entries (dicts with path, minTimeUs, maxTimeUs, minSeq, maxSeq) of the live files of a series."""
    root = os.path.join(store_dir(), "_catalog")
    for attempt in range(3):
        try:
            with open(os.path.join(root, "CURRENT"), "r", encoding="utf-8") as f:
                current = f.read().strip()
            snap = _read_json(os.path.join(root, "snapshots", current + ".json"))
            name = snap["series"].get(f"{dataset}|{venue}|{symbol}")
            if name is None:
                return []
            return _resolve(os.path.join(root, "series"), name)
        except FileNotFoundError:
            # A commit replaced CURRENT (and GC took the old snapshot) while we read: read again.
            if attempt == 2:
                raise
    return []


def in_range(files, from_us, to_us):
    return [f for f in files if f["maxTimeUs"] >= from_us and f["minTimeUs"] < to_us]


def has_overlap(files):
    if len(files) < 2:
        return False
    by_seq = all(f.get("minSeq") is not None and f.get("maxSeq") is not None for f in files)
    lo = (lambda f: f["minSeq"]) if by_seq else (lambda f: f["minTimeUs"])
    hi = (lambda f: f["maxSeq"]) if by_seq else (lambda f: f["maxTimeUs"])
    ordered = sorted(files, key=lo)
    top = hi(ordered[0])
    for f in ordered[1:]:
        if lo(f) <= top:
            return True
        top = max(top, hi(f))
    return False


def paths(files):
    return [os.path.join(store_dir(), f["path"]) for f in files]
