"""Ledger benchmarks: event-log ingest, duplicates, chain verify (one JSON line per figure).

Figures (each with a baseline measured in the same run and the ratio):

- ``bare_loop_sqlite``: the baseline itself: parse each line (stdlib ``json``),
  canonicalise it (sorted keys), chain its sha256 and ``executemany`` into SQLite.
- ``log_ingest_sqlite``: urif's event-log path in-process (``parse_lines`` with validation
  and canonical bytes, idempotency lookup, ``Writer.append``: seq, hash chain, insert);
  the full ``urif ingest`` path (booking, read models) is plugged in by ``actions``.
- ``log_ingest_postgres``: the same on PostgreSQL (skipped when the server is unreachable).
- ``reingest_duplicates_sqlite``: the same file again, every event a duplicate (seconds).
- ``verify_chain_sqlite``: ``Store.verify_chain`` over ``--verify-events`` events (seconds);
  baseline: a bare sqlite3 loop recomputing the sha256 chain.

Usage: ``python bench/ledger.py [--events 100000] [--verify-events 1000000] [--pg URL]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ledger_stream import stream_lines

from urif.events import GENESIS_HASH, parse_lines
from urif.store import Store

RECORDED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PG_URL = os.environ.get("URIF_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MACHINE = os.environ.get("URIF_BENCH_MACHINE", f"{os.cpu_count()} cores")


def emit(
    figure: str, value: float, unit: str, baseline: float, target: str, **meta: object
) -> None:
    """Print one figure as a JSON line (ratio = value / baseline)."""
    ratio = value / baseline if baseline else None
    record = {
        "figure": figure,
        "value": round(value, 4),
        "unit": unit,
        "baseline": round(baseline, 4),
        "ratio": round(ratio, 4) if ratio is not None else None,
        "target": target,
        "meta": {"machine": MACHINE, **meta},
    }
    print(json.dumps(record), flush=True)


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    """Median wall seconds of ``repeat`` runs of ``action``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def bare_loop(lines: Sequence[bytes], path: Path) -> None:
    """Baseline: parse, canonicalise, chain sha256, executemany into SQLite (stdlib only)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
        "canonical BLOB NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"
    )
    rows = []
    prev = bytes(32)
    for seq, line in enumerate(lines, start=1):
        obj = json.loads(line)
        canonical = json.dumps(
            obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
        digest = hashlib.sha256(prev + canonical).digest()
        rows.append((seq, obj["id"], canonical, prev.hex(), digest.hex()))
        prev = digest
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)", rows)
    db.execute("COMMIT")
    db.close()


def log_ingest(lines: Sequence[bytes], store: Store) -> tuple[int, int]:
    """urif's log path: validate and canonicalise, look up ids, append new events."""
    with store.writer() as writer:

        def known(ids: list[str]) -> dict[str, bytes]:
            return {k: v[1] for k, v in writer.existing_canonical(ids).items()}

        parsed = parse_lines(lines, "bench.jsonl", known=known)
        parsed.raise_for_problems()
        ids = [event.id for _, event in parsed.events]
        stored = writer.existing_canonical(ids)
        fresh = []
        fresh_canonicals = []
        duplicates = len(parsed.duplicates)
        for (_, event), canonical in zip(parsed.events, parsed.canonicals, strict=True):
            found = stored.get(event.id)
            if found is None:
                fresh.append(event)
                fresh_canonicals.append(canonical)
            elif found[1] == canonical:
                duplicates += 1
            else:
                raise RuntimeError(f"conflict on {event.id}")
        writer.append(fresh, "bench", RECORDED_AT, fresh_canonicals)
    return len(fresh), duplicates


def fresh_store(url: str) -> Store:
    store = Store.open(url)
    store.init()
    return store


def sqlite_url(folder: Path, name: str) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{folder / name}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{folder / name}"


def pg_fresh_url() -> str | None:
    """A fresh PostgreSQL database for the run, or None when unreachable."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return None
    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.Error:
        return None
    name = "urif_bench_ledger"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return PG_URL.rpartition("/")[0] + "/" + name


def bare_verify(path: Path) -> None:
    """Baseline for verify: stream the rows with sqlite3 and recompute the sha256 chain."""
    db = sqlite3.connect(path)
    prev = GENESIS_HASH
    for _seq, canonical, prev_hash, stored in db.execute(
        "SELECT seq, canonical, prev_hash, hash FROM events ORDER BY seq"
    ):
        if (
            prev_hash != prev
            or hashlib.sha256(bytes.fromhex(prev_hash) + canonical).hexdigest() != stored
        ):
            raise RuntimeError("chain broken")
        prev = stored
    db.close()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the figures and print one JSON line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--verify-events", type=int, default=1_000_000)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-full", action="store_true", help="skip the urif.actions figures")
    parser.add_argument("--full-events", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    n = args.events
    lines = stream_lines(n)
    with tempfile.TemporaryDirectory(prefix="urif-bench-") as tmp:
        folder = Path(tmp)
        bare = timed(lambda: bare_loop(lines, folder / "bare.db"))
        emit("bare_loop_sqlite", n / bare, "events/s", n / bare, "baseline", events=n, seconds=bare)

        store = fresh_store(sqlite_url(folder, "log.db"))
        seconds = timed(lambda: log_ingest(lines, store))
        emit(
            "log_ingest_sqlite",
            n / seconds,
            "events/s",
            n / bare,
            "part of >= 60000 events/s for the full ingest",
            events=n,
            seconds=seconds,
        )
        again = timed(lambda: log_ingest(lines, store))
        emit(
            "reingest_duplicates_sqlite",
            again,
            "s",
            bare,
            "< 2 s for 100000 duplicates",
            events=n,
        )
        store.close()

        pg = None if args.skip_pg else pg_fresh_url()
        if pg is not None:
            pg_store = fresh_store(pg)
            seconds = timed(lambda: log_ingest(lines, pg_store))
            emit(
                "log_ingest_postgres",
                n / seconds,
                "events/s",
                n / bare,
                "part of >= 20000 events/s for the full ingest",
                events=n,
                seconds=seconds,
            )
            pg_store.close()

        big = args.verify_events
        url = sqlite_url(folder, "verify.db")
        store = fresh_store(url)
        chunk = 100_000
        built = 0
        start = time.perf_counter()
        while built < big:
            size = min(chunk, big - built)
            part = stream_lines(size, seed=built + 1)
            part = [line.replace(b'"id":"b-', f'"id":"v{built}-'.encode(), 1) for line in part]
            log_ingest(part, store)
            built += size
        build_seconds = time.perf_counter() - start
        problems: list[object] = []
        seconds = timed(lambda: problems.extend(store.verify_chain()))
        chain_only = timed(lambda: store.verify_chain(check_columns=False))
        path = Path(url.removeprefix("sqlite:///"))
        baseline = timed(lambda: bare_verify(path))
        emit(
            "verify_chain_sqlite",
            seconds,
            "s",
            baseline,
            "< 5 s for 1000000 events",
            events=big,
            problems=len(problems),
            chain_only_seconds=round(chain_only, 3),
            build_seconds=round(build_seconds, 1),
        )
        store.close()

        if not args.skip_full:
            full_figures(folder, n, args.full_events, args.skip_pg)


# --- the full ingest through urif.actions (books integration) ----------------------------
#
# ``full_ingest_sqlite``: ``urif.actions.record`` in-process (validation, booking through
# ledger, governance and compliance, chain, idempotency, read models); baseline: the bare
# loop.  ``cli_ingest_sqlite``: the whole ``urif ingest FILE`` command, process start
# included (seconds; baseline: the bare loop's seconds, target ratio <= 2.5).
# ``reingest_duplicates_full_sqlite``: the same file again through the full path (seconds).
# ``full_ingest_postgres``: the in-process full ingest on PostgreSQL.
# ``accounts_json_1m``: ``urif accounts --json`` in-process on a database of
# ``--full-events`` events built by the full ingest (seconds; baseline: one bare sqlite3
# GROUP BY over the capital read model).  ``verify_full_1m``: ``urif verify`` in-process
# on that database (chain, invariants, read models against a replay; baseline: the chain
# alone).  ``beancount_check``: bean-check on the same transactions, when installed.
#
# The full-ingest stream is ``ledger_stream`` without ``valuation`` events: a valuation
# needs an investment in its project, and investments need board approval (governance).
# Screening lists: the example policy list is loaded first (dated 2025-01-01), so the
# stream's payees screen clear on registration and their expenses may be paid.

REPO = Path(__file__).resolve().parent.parent
POLICY_LIST = REPO / "src" / "urif" / "compliance" / "data" / "policy-states-example.csv"
URIF = Path(sys.executable).parent / "urif"


def books_lines(n: int, seed: int = 7) -> list[bytes]:
    """The benchmark stream the books accept in full (no valuations; see above)."""
    from ledger_stream import DEFAULT_MIX, generate_events

    mix = {kind: weight for kind, weight in DEFAULT_MIX.items() if kind != "valuation"}
    return [json.dumps(o, separators=(",", ":")).encode() for o in generate_events(n, seed, mix)]


def books_store(url: str) -> None:
    """A new database with the example policy list loaded (so payees screen clear)."""
    from urif.actions.books import init_database
    from urif.actions.compliance import load_lists

    init_database(url, None)
    load_lists(
        url,
        [POLICY_LIST],
        snapshot_date=dt.date(2025, 1, 1),
        loaded_on=dt.date(2025, 1, 1),
        recorded_by="bench",
        recorded_at=RECORDED_AT,
    )


def full_ingest(url: str, path: Path, cache: object | None = None) -> tuple[int, int]:
    """The full ``urif ingest`` path in-process; raises if anything is rejected."""
    from urif.actions.record import ingest_files

    report = ingest_files(url, [path], "bench", RECORDED_AT, cache=cache)  # type: ignore[arg-type]
    report.raise_for_problems()
    return report.appended, len(report.duplicates)


def write_lines(path: Path, lines: Sequence[bytes]) -> Path:
    """Write JSON Lines to ``path``."""
    with path.open("wb") as out:
        for line in lines:
            out.write(line)
            out.write(b"\n")
    return path


def bare_capital_query(path: Path) -> None:
    """Baseline for accounts: one bare GROUP BY over the capital read model."""
    db = sqlite3.connect(path)
    db.execute(
        "SELECT owner, measure, SUM(amount) FROM ledger_capital_day "
        "WHERE value_date <= '2100-01-01' GROUP BY owner, measure"
    ).fetchall()
    db.close()


def full_figures(folder: Path, n: int, big: int, skip_pg: bool) -> None:
    """Print the full-ingest figures (see the section comment)."""
    import subprocess

    from urif.actions.books import accounts, accounts_json, verify
    from urif.actions.fund_state import StateCache

    lines = books_lines(n)
    path = write_lines(folder / "books.jsonl", lines)
    bare_lines = timed(lambda: bare_loop(lines, folder / "bare-books.db"))

    url = sqlite_url(folder, "full.db")
    books_store(url)
    seconds = timed(lambda: full_ingest(url, path))
    emit(
        "full_ingest_sqlite",
        n / seconds,
        "events/s",
        n / bare_lines,
        ">= 60000 events/s",
        events=n,
        seconds=round(seconds, 2),
    )
    again = timed(lambda: full_ingest(url, path), repeat=3)
    emit("reingest_duplicates_full_sqlite", again, "s", bare_lines, "< 2 s", events=n)

    cli_url = sqlite_url(folder, "cli.db")
    books_store(cli_url)
    command = [str(URIF), "--db", cli_url, "ingest", str(path)]
    cli = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    emit(
        "cli_ingest_sqlite",
        cli,
        "s",
        bare_lines,
        "ratio <= 2.5 (process start included)",
        events=n,
        bare_seconds=round(bare_lines, 3),
    )

    pg = None if skip_pg else pg_fresh_url()
    if pg is not None:
        books_store(pg)
        seconds = timed(lambda: full_ingest(pg, path))
        emit(
            "full_ingest_postgres",
            n / seconds,
            "events/s",
            n / bare_lines,
            ">= 20000 events/s",
            events=n,
            seconds=round(seconds, 2),
        )

    big_url = sqlite_url(folder, "full-big.db")
    books_store(big_url)
    stream = books_lines(big)
    cache = StateCache()
    start = time.perf_counter()
    chunk = 100_000
    for offset in range(0, big, chunk):
        part = write_lines(folder / "big-part.jsonl", stream[offset : offset + chunk])
        full_ingest(big_url, part, cache)
    build = time.perf_counter() - start
    del cache  # the 1M-event state: left alive it makes the collector's passes slow the reads
    as_of = dt.date(2100, 1, 1)
    seconds = timed(lambda: accounts_json(accounts(big_url, as_of)), repeat=5)
    big_path = Path(big_url.removeprefix("sqlite:///"))
    baseline = timed(lambda: bare_capital_query(big_path), repeat=5)
    emit(
        "accounts_json_1m",
        seconds,
        "s",
        baseline,
        "< 0.1 s in-process",
        events=big,
        build_seconds=round(build, 1),
        build_events_per_s=round(big / build),
    )
    report: list[object] = []
    seconds = timed(lambda: report.append(verify(big_url)))
    with Store.open(big_url) as store:
        chain = timed(store.verify_chain)
    ok = bool(report) and getattr(report[-1], "ok", False)
    emit("verify_full_1m", seconds, "s", chain, "< 60 s", events=big, ok=ok)

    beancount_figure(folder, url, n)


#: Where ``make bench`` installs beancount, apart from urif's own environment (GPL: run
#: as an external program, never imported).
BENCH_TOOLS = Path(__file__).resolve().parent.parent / ".bench-tools" / "bin"


def beancount_figure(folder: Path, url: str, n: int) -> None:
    """``urif verify`` against ``bean-check`` on the same books (skipped without it)."""
    import shutil
    import subprocess

    from beancount_export import write_beancount

    from urif.actions.fund_state import replay_state

    bean = shutil.which("bean-check") or shutil.which("bean-check", path=str(BENCH_TOOLS))
    if bean is None:
        print(
            json.dumps(
                {
                    "figure": "beancount_check",
                    "value": None,
                    "unit": "s",
                    "baseline": None,
                    "ratio": None,
                    "target": "comparison where bean-check is installed",
                    "meta": {
                        "machine": MACHINE,
                        "note": "bean-check not installed (make bench installs it); skipped",
                    },
                }
            ),
            flush=True,
        )
        return
    with Store.open(url) as store:
        state = replay_state(store)
    ledger_file = folder / "books.beancount"
    transactions = write_beancount((b for _, b in state.ledger.booked.values()), ledger_file)
    del state
    results: list[subprocess.CompletedProcess[bytes]] = []
    bean_seconds = timed(
        lambda: results.append(
            subprocess.run([bean, str(ledger_file)], check=False, capture_output=True)
        )
    )
    urif_command = [str(URIF), "--db", url, "verify", "--json"]
    urif_seconds = timed(lambda: subprocess.run(urif_command, check=True, capture_output=True))
    checked = results[-1]
    emit(
        "beancount_check",
        urif_seconds,
        "s",
        bean_seconds,
        "ratio printed: urif verify (chain, invariants, read models vs replay) / bean-check",
        events=n,
        transactions=transactions,
        bean_check_ok=checked.returncode == 0,
        bean_check_errors=checked.stderr.decode(errors="replace").splitlines()[:5],
    )


if __name__ == "__main__":
    main()
