"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL.

``db_url`` is parametrised over both backends.  PostgreSQL comes from ``URIF_TEST_PG_URL``
(default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each test gets its own
database, created from that server and dropped afterwards.  Outside CI an unreachable
server skips those tests with the reason; with ``CI=true`` it fails them.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example deadline: speed is measured by bench/, never by timed tests, and a
# deadline makes a property test fail on a loaded machine (two xdist workers and
# PostgreSQL on two cores) for reasons that have nothing to do with the property.
# ``print_blob`` prints the seed that reproduces any failure.
hypothesis_settings.register_profile("urif", deadline=None, print_blob=True)
hypothesis_settings.load_profile("urif")

# pytest-xdist exports COLUMNS=80 to its workers; a Rich console built while it is set keeps
# that width for good and ignores the COLUMNS a test passes to CliRunner. Without it, the
# CLI's consoles read the width at each print, as they do in a real terminal.
os.environ.pop("COLUMNS", None)

PG_URL = os.environ.get("URIF_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_DATA = SHARED / "data"


def _pg_admin_connect() -> object:
    import psycopg

    plain = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(plain, autocommit=True, connect_timeout=3)


def pg_available() -> str | None:
    """None when the PostgreSQL test server answers, else the reason it does not."""
    try:
        conn = _pg_admin_connect()
    except Exception as error:  # any connection failure is a reason to skip
        return f"PostgreSQL at {PG_URL} is not reachable: {error}"
    conn.close()  # type: ignore[attr-defined]
    return None


def require_pg() -> None:
    """Skip outside CI, fail in CI, when PostgreSQL is not reachable."""
    reason = pg_available()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def fresh_pg_database() -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards."""
    require_pg()
    name = f"urif_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin_connect()
    admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    base, _, _ = PG_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(  # type: ignore[attr-defined]
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database URL for one test; dropped afterwards."""
    yield from fresh_pg_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file URL for one test."""
    return f"sqlite:///{tmp_path / 'urif.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database on each backend: the same test runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'urif.db'}"
        return
    yield from fresh_pg_database()


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` (read-only real data); skips when this checkout has none."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def urif_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, str, str]]:
    """Run ``urif ARGS...`` through the real entry point (``urif.cli.main.run``, with
    ``sys.argv`` set, as the console script does); returns (exit code, stdout, stderr)."""
    from urif.cli.main import run

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["urif", *args])
        code = 0
        try:
            run()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
