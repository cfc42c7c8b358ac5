"""API benchmark: GET /api/accounts and POST /api/events on loopback (issue 8).

Starts ``urif serve --workers 2`` on a fresh SQLite database holding the demo events plus
a generated stream, then measures with ``wrk`` (Debian package; installed by
``scripts/setup-system.sh``): 32 concurrent connections on ``GET /api/accounts`` (target:
>= 1,000 requests/s, p99 < 50 ms) against ``GET /api/health`` in the same run as the
baseline; then posts batches of 1,000 new events (target: >= 20,000 events/s) against the
in-process ``record_events`` on the same batches as the baseline (one client, in order).  Prints one JSON line
per figure.  Only 127.0.0.1 is contacted; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ledger_stream import DEFAULT_MIX, generate_events

from ledger import books_store
from urif.actions.fund_state import StateCache
from urif.actions.record import record_events
from urif.actions.users import add_user
from urif.events import parse_objects
from urif.store import Store

ROOT = Path(__file__).resolve().parents[1]
MACHINE = os.environ.get("URIF_BENCH_MACHINE", f"{os.cpu_count()} cores")
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def emit(
    figure: str, value: float, unit: str, baseline: float, target: str, **meta: object
) -> None:
    """Print one figure as a JSON line (ratio = value / baseline)."""
    print(
        json.dumps(
            {
                "figure": figure,
                "value": round(value, 3),
                "unit": unit,
                "baseline": round(baseline, 3),
                "ratio": round(value / baseline, 4) if baseline else None,
                "target": target,
                "meta": {"machine": MACHINE, **meta},
            }
        ),
        flush=True,
    )


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wrk(url: str, token: str, seconds: int, connections: int) -> tuple[float, float]:
    """Requests/s and p99 latency (ms) from one wrk run."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    assert p99 is not None, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rps, float(p99.group(1)) * scale


def batches(count: int, size: int, seed: int) -> list[list[dict[str, object]]]:
    """An opening batch (commitments, first rates) and ``count`` batches of ``size`` events."""
    # Valuations need an approved investment (see bench/ledger.py): left out of the mix.
    mix = {kind: weight for kind, weight in DEFAULT_MIX.items() if kind != "valuation"}
    events = list(generate_events(count * size + 200, seed=seed, mix=mix))
    for event in events:
        event["id"] = f"api{seed}-{event['id']}"
    head, rest = events[:200], events[200:]
    out = [head] + [rest[i * size : (i + 1) * size] for i in range(count)]
    return [b for b in out if b]


def main() -> None:
    """Run the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print(
            json.dumps(
                {
                    "figure": "api",
                    "skipped": "wrk is not installed (apt-get install wrk, or make setup)",
                }
            )
        )
        return
    with tempfile.TemporaryDirectory(prefix="urif-bench-api-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'urif.db'}"
        books_store(url)  # with the policy list loaded, so the stream's payees screen clear
        add_user(
            url, "bench", "administrator", "bench-password-1", created_by="bench", created_at=NOW
        )
        port = free_port()
        env = {**os.environ, "URIF_DB": url, "URIF_SECRET_KEY": "bench-only-key-" + "x" * 32}
        server = subprocess.Popen(
            [sys.executable, "-m", "urif.cli.main", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            token = httpx.post(
                f"{base}/api/token", data={"username": "bench", "password": "bench-password-1"}
            ).json()["access_token"]
            health_rps, health_p99 = wrk(f"{base}/api/health", token, args.seconds, 32)
            rps, p99 = wrk(f"{base}/api/accounts", token, args.seconds, 32)
            emit(
                "api_get_accounts_rps",
                rps,
                "requests/s",
                health_rps,
                ">= 1000 requests/s with 32 clients",
                p99_ms=p99,
                baseline_route="GET /api/health",
                baseline_p99_ms=health_p99,
                seconds=args.seconds,
                workers=2,
            )
            emit("api_get_accounts_p99", p99, "ms", health_p99, "< 50 ms")

            posted = batches(args.batches, 1000, seed=7)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            # The bodies are encoded before the clock starts: the figure is the server's
            # ingest rate, not the client's JSON encoder (same machine, same cores).
            bodies = [json.dumps(b).encode() for b in posted]
            with httpx.Client(timeout=120) as client:
                opening = client.post(f"{base}/api/events", content=bodies[0], headers=headers)
                assert opening.status_code == 200, opening.text[:500]
                # One client posting in order: a batch may refer to what an earlier one
                # registered (licences, payees), so batches cannot race each other.
                start = time.perf_counter()
                codes = [
                    client.post(f"{base}/api/events", content=body, headers=headers).status_code
                    for body in bodies[1:]
                ]
                api_seconds = time.perf_counter() - start
            sent = sum(len(b) for b in posted[1:])
            assert set(codes) == {200}, f"some batches were refused: {sorted(set(codes))}"
            # Baseline: the same batches recorded in-process into a fresh database.
            url2 = f"sqlite:///{Path(tmp) / 'inproc.db'}"
            books_store(url2)
            store = Store.open(url2)
            cache = StateCache()  # as the API keeps one: no replay per batch
            record_events(store, (parse_objects(posted[0], "b0"),), "bench", NOW, cache=cache)
            start = time.perf_counter()
            for i, batch in enumerate(posted[1:]):
                report = record_events(
                    store, (parse_objects(batch, f"b{i}"),), "bench", NOW, cache=cache
                )
                report.raise_for_problems()
            inproc = time.perf_counter() - start
            store.close()
            emit(
                "api_post_events",
                sent / api_seconds,
                "events/s",
                sent / inproc,
                ">= 20000 events/s in batches of 1000",
                batches=len(posted) - 1,
                statuses=sorted(set(codes)),
                baseline_route="in-process record_events",
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
