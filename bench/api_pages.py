"""Dashboard benchmark: server-side render time of every page on a 1,000,000-event database.

Builds (or reuses, ``--db``) a SQLite database of ``--events`` generated events
(``ledger_stream`` through the full ingest, as in ``bench/ledger.py``) followed by the
example chronology (so every page has proposals, obligations and statements), adds a
user, then renders each dashboard page in-process through the ASGI app (FastAPI
TestClient: routing, session check, actions, templates; no network).  For each page it
prints one JSON line: the median of ``--repeat`` warm renders in milliseconds (target
< 200 ms), the first (cold) render, the wait for the fund state's replay started at
sign-in (``replay_ms``); then ``*_after_append_ms``: the render right after one more
event is appended.  Baseline: ``GET /api/health`` measured the same way in the same run
(the floor of a request through the app); ratio = page / baseline.

Usage: ``python bench/api_pages.py [--events 1000000] [--db sqlite:///x.db] [--keep]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger import books_lines, books_store, full_ingest, write_lines

ROOT = Path(__file__).resolve().parents[1]
MACHINE = os.environ.get("URIF_BENCH_MACHINE", f"{os.cpu_count()} cores")
RECORDED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PASSWORD = "bench password 1"
AS_OF = "2026-12-31"
PAGES = {
    "overview": f"/?as_of={AS_OF}",
    "statements": "/statements?partner=dfc&period=2026Q2",
    "governance": f"/governance?as_of={AS_OF}",
    "screening": f"/cases?as_of={AS_OF}",
    "simulations": "/simulations",
    "terms": "/terms?a=us-draft-2025-03&b=signed-2025-04-30",
    "map": "/map",
}


def emit(
    figure: str, value: float, unit: str, baseline: float, target: str, **meta: object
) -> None:
    """Print one figure as a JSON line (ratio = value / baseline)."""
    record = {
        "figure": figure,
        "value": round(value, 3),
        "unit": unit,
        "baseline": round(baseline, 3),
        "ratio": round(value / baseline, 2) if baseline else None,
        "target": target,
        "meta": {"machine": MACHINE, **meta},
    }
    print(json.dumps(record), flush=True)


def build(url: str, events: int, folder: Path) -> float:
    """``events`` generated events through the full ingest, then the examples; seconds."""
    from urif.actions.fund_state import StateCache

    start = time.perf_counter()
    books_store(url)
    cache = StateCache()
    stream = books_lines(events)
    chunk = 100_000
    for offset in range(0, events, chunk):
        full_ingest(url, write_lines(folder / "part.jsonl", stream[offset : offset + chunk]), cache)
        print(f"built {min(offset + chunk, events):,} events", file=sys.stderr, flush=True)
    for name in ("fund-2025-2026.jsonl", "governance-2025-2027.jsonl"):
        full_ingest(url, ROOT / "examples" / name, cache)
    return time.perf_counter() - start


def ms(action: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Build or open the database, then time every page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", help="an existing database (skips the build)")
    parser.add_argument("--keep", action="store_true", help="keep the built database")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from urif.actions.users import add_user
    from urif.api.app import create_app
    from urif.api.settings import ServiceSettings
    from urif.store import Store

    folder = Path(tempfile.mkdtemp(prefix="urif-bench-pages-"))
    url = args.db or f"sqlite:///{folder / 'pages.db'}"
    build_seconds = None if args.db else build(url, args.events, folder)
    with Store.open(url) as store:
        events = store.count()
    add_user(url, "bench", "administrator", PASSWORD, created_by="bench", created_at=RECORDED_AT)
    settings = ServiceSettings(db=url, secret_key_file=folder / "secret.key")
    with TestClient(create_app(settings)) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
        assert token is not None
        signed = client.post(
            "/login",
            data={"username": "bench", "password": PASSWORD, "csrf": token.group(1)},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text

        def get(path: str) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])

        # Signing in started the fund state's replay in the background; the first
        # governance render waits for it (reported as replay_ms), later ones do not.
        replay = ms(lambda: get(PAGES["governance"]))
        get("/api/health")
        health = statistics.median(ms(lambda: get("/api/health")) for _ in range(args.repeat))
        for name, path in PAGES.items():
            cold = ms(lambda p=path: get(p))
            warm = statistics.median(ms(lambda p=path: get(p)) for _ in range(args.repeat))
            emit(
                f"dashboard_{name}_ms",
                warm,
                "ms",
                health,
                "< 200 ms server-side",
                events=events,
                cold_ms=round(cold, 1),
                replay_ms=round(replay, 1),
                repeat=args.repeat,
                build_seconds=round(build_seconds, 1) if build_seconds else None,
            )
        # After a write: append one event, then render (cache stale; the fund state folds
        # only the new event).  The first append replays the log for the ingest (untimed).
        from urif.actions.fund_state import StateCache

        cache = StateCache()
        for i, name in enumerate(("overview", "governance", "screening", "statements")):
            event = {"id": f"bench-append-{time.time_ns()}-{i}", "type": "fx_rate",
                     "on": "2026-12-30", "base": "USD", "quote": "UAH", "rate": "42.0000",
                     "source": "bench"}  # fmt: skip
            path = folder / "append.jsonl"
            path.write_text(json.dumps(event) + "\n")
            full_ingest(url, path, cache)
            after = ms(lambda p=PAGES[name]: get(p))
            emit(
                f"dashboard_{name}_after_append_ms",
                after,
                "ms",
                health,
                "< 200 ms server-side",
                events=events + i + 1,
            )
    if not args.keep and not args.db:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
    elif not args.db:
        print(f"database kept: {url}", file=sys.stderr)


if __name__ == "__main__":
    main()
