"""Engines and migrations: one way to connect to SQLite or PostgreSQL, one migration chain.

Owns ``make_engine`` (SQLite: WAL, ``synchronous=NORMAL``, foreign keys, a long busy
timeout, and transactions begun by urif itself so a writer can say ``BEGIN IMMEDIATE``),
``upgrade`` / ``current_revision`` / ``head_revision`` (Alembic run programmatically on a
connection, scripts shipped in ``urif.store.migrations``) and ``backend_of``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from urif.core.errors import InvalidInput

if TYPE_CHECKING:  # Alembic is imported when migrations run (not on every command's start)
    from alembic.config import Config

#: Execution option a writer sets so SQLite begins with ``BEGIN IMMEDIATE``.
IMMEDIATE: Final = "urif_begin_immediate"
SCRIPT_LOCATION: Final = "urif.store:migrations"
SQLITE_BUSY_TIMEOUT_S: Final = 60.0


def backend_of(url: str) -> str:
    """``sqlite`` or ``postgresql`` for a database URL, else ``InvalidInput``.

    >>> backend_of("sqlite:///urif.db"), backend_of("postgresql+psycopg://u@h/db")
    ('sqlite', 'postgresql')
    """
    try:
        name = make_url(url).get_backend_name()
    except ArgumentError:
        name = ""
    if name not in ("sqlite", "postgresql"):
        raise InvalidInput(
            "database URL: expected sqlite:///FILE or postgresql+psycopg://USER@HOST/DB, "
            f"got {url!r}"
        )
    return name


def _normalise(url: str) -> str:
    """Use psycopg (3) for plain ``postgresql://`` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # urif emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(IMMEDIATE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with urif's connection settings (see the module docstring)."""
    url = _normalise(url)
    backend = backend_of(url)
    if backend == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` on ``connection`` (inside its transaction)."""
    from alembic import command

    command.upgrade(_config(connection), revision)


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with this version of urif."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return ScriptDirectory.from_config(config).get_current_head()
