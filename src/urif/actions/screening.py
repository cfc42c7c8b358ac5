"""Screening use cases: one name, or a batch of counterparties, against the lists in force.

Owns the actions behind ``urif screen`` and ``GET /api/screen``: which matcher screens (the
database's snapshots in force on the day, else the list files of a sanctions folder),
building it once and caching it on disk under a key of the algorithm and the snapshots
or files, reading a batch CSV, and the JSON of a result (DESIGN.md §5).  The edges pass
in what they read from the environment or their settings (the cache folder, the
sanctions folder) and render; nothing here prints, reads the clock or the environment.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from urif.compliance.matcher import KINDS, Hit, Matcher, Query
from urif.compliance.score import ALGORITHM
from urif.compliance.sources import read_paths
from urif.compliance.sources.policy import EXAMPLE_POLICY_LIST
from urif.compliance.sources.record import ParsedList
from urif.core.errors import InvalidInput, UrifError

#: ``notify(message)``: progress and warnings for the edge to show (stderr in the CLI).
Notify = Callable[[str], None]

#: What the edges call the sanctions folder setting (named in the error when none is found).
SANCTIONS_DIR_SETTING = "URIF_SANCTIONS_DIR"
#: The shared data's sanctions folder beside a clone of the repository.
REPO_SANCTIONS_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "sanctions"

#: Batch ``kind`` spellings and the matcher kind each means.
BATCH_KINDS = {
    "person": "person",
    "individual": "person",
    "company": "company",
    "organization": "organization",
    "organisation": "organization",
    "entity": "company",
    "legalentity": "company",
    "vessel": "vessel",
}


@dataclass(frozen=True, slots=True)
class ListsInUse:
    """A built matcher, the lists (and snapshot dates) it screens with, and notes on them."""

    matcher: Matcher
    lists: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]

    def lists_json(self) -> list[dict[str, str]]:
        """The lists as ``[{"list", "snapshot_date"}]``."""
        return [{"list": list_id, "snapshot_date": day} for list_id, day in self.lists]


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One batch row's result (``id``, ``name``, ``decision``, ``hits``[, ``error``]) and
    the warnings it raised, each prefixed with ``file:line``."""

    item: dict[str, Any]
    warnings: tuple[str, ...]


#: Counterparty kinds (DESIGN §3) the matcher has no kind for: a state is screened by its
#: name against every kind of entry, as the payment gate screens it.
ANY_KIND = ("state",)


def check_kind(kind: str | None) -> None:
    """Refuse a kind the matcher does not know.

    >>> check_kind("vessel")
    >>> check_kind("state")
    >>> check_kind("alien")
    Traceback (most recent call last):
    urif.core.errors.InvalidInput: --kind: expected one of person, company, organization, vessel, state, got 'alien'
    """
    if kind is not None and kind not in KINDS and kind not in ANY_KIND:
        expected = ", ".join((*KINDS, *ANY_KIND))
        raise InvalidInput(f"--kind: expected one of {expected}, got {kind!r}")


def matcher_kind(kind: str | None) -> str | None:
    """The matcher's kind for a checked ``--kind`` (None: compare with every kind)."""
    return None if kind in ANY_KIND else kind


def check_lists(wanted: Sequence[str] | None, available: Sequence[str], where: str) -> None:
    """Refuse ``--lists`` ids with nothing to screen against: a clear result from a list
    that was never loaded would read as a clean bill of health.

    >>> check_lists(["ofac-sdn"], ["ofac-sdn", "policy"], "in the database")
    >>> check_lists(["nope"], ["ofac-sdn"], "in the database")
    Traceback (most recent call last):
    urif.core.errors.InvalidInput: --lists: no snapshot of nope in the database; available: ofac-sdn
    """
    missing = sorted(set(wanted or ()) - set(available))
    if missing:
        raise InvalidInput(
            f"--lists: no snapshot of {', '.join(missing)} {where}; available: "
            + (", ".join(sorted(set(available))) or "none")
        )


def hit_json(hit: Hit) -> dict[str, Any]:
    """One hit as JSON (``list``, ``entity_id``, ``matched_name``, ``score``, ``decision``,
    ``kind``, ``explanation``)."""
    return {
        "list": hit.list,
        "entity_id": hit.entity_id,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "decision": hit.decision,
        "kind": hit.kind,
        "explanation": list(hit.explanation),
    }


# --- which matcher --------------------------------------------------------------------------


def shipped_list_paths(sanctions_dir: Path | None = None) -> list[Path]:
    """The list files to screen with when the database holds none: the latest OFAC
    snapshot folder, the UN XML and the EU CSVs of a sanctions folder (``sanctions_dir``,
    else the shared data beside the repository), else the extracts shipped in the package;
    always with the shipped policy list (the term sets screen against ``policy`` too)."""
    from urif.actions.compliance import DATA_DIR, DEMO_LIST_PATHS

    policy = DATA_DIR / EXAMPLE_POLICY_LIST
    candidates = [sanctions_dir] if sanctions_dir is not None else []
    candidates.append(REPO_SANCTIONS_DIR)
    for root in candidates:
        if not root.is_dir():
            continue
        paths: list[Path] = []
        ofac = sorted(p for p in root.glob("ofac-sdn-*") if p.is_dir())
        if ofac:
            paths.append(ofac[-1])
        paths.extend(sorted(root.glob("un/*.xml")))
        paths.extend(sorted(root.glob("eu/*.csv")))
        if paths:
            return [*paths, policy] if policy.is_file() else paths
    shipped = [DATA_DIR / name for name in DEMO_LIST_PATHS if (DATA_DIR / name).exists()]
    if shipped:
        return shipped
    raise InvalidInput(
        "screening: no list snapshot in the database and no list files found; load lists "
        f"with `urif lists load PATH...` or set {SANCTIONS_DIR_SETTING} to the sanctions folder"
    )


def _tree_stamp(path: Path) -> str:
    """Size and modification time of a file or of every file under a folder."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return ",".join(f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in files)


def build_from_files(parsed: Sequence[ParsedList]) -> Matcher:
    """A matcher over parsed lists, remembering each list's snapshot date."""
    dates = {p.list_id: (p.file_date.isoformat() if p.file_date else "undated") for p in parsed}
    return Matcher.build((r for p in parsed for r in p.records), snapshots=dates)


def _cached_matcher(
    key: str,
    build: Callable[[], Matcher],
    cache_dir: Path | None,
    notify: Notify,
    memo: MutableMapping[str, Matcher] | None,
) -> Matcher:
    """The matcher for ``key``: from ``memo``, else the cache file, else built (and cached)."""
    if memo is not None and key in memo:
        return memo[key]
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    path = cache_dir / f"screening-{digest}.pkl" if cache_dir is not None else None
    matcher: Matcher | None = None
    if path is not None and path.is_file():
        try:
            matcher = Matcher.load(path)
        except InvalidInput:
            matcher = None
    if matcher is None:
        notify("building the screening index (cached for next time)...")
        matcher = build()
        if path is not None:
            try:
                matcher.save(path)
            except OSError as error:
                notify(f"warning: could not cache the screening index at {path}: {error}")
    if memo is not None:
        memo.clear()  # keep one index in memory: a new snapshot replaces the old one
        memo[key] = matcher
    return matcher


def _database_lists(
    url: str,
    lists: Sequence[str] | None,
    on: dt.date,
    cache_dir: Path | None,
    notify: Notify,
    memo: MutableMapping[str, Matcher] | None,
) -> ListsInUse | None:
    """The matcher over the database's snapshots in force on ``on``; None when the database
    is absent or holds none (``InvalidInput`` passes through)."""
    from urif.actions.compliance import ScreenerSource
    from urif.store import Store

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return None  # never create a database just to screen a name
    try:
        store = Store.open(url)
    except Exception:  # no database, or one without the compliance tables
        return None
    with store, store.reader() as connection:
        every = ScreenerSource(connection, None).in_force(on)
        if not every.snapshots:
            return None
        check_lists(lists, [s.list_id for s in every.snapshots], "in the database")
        source = ScreenerSource(connection, lists)
        chosen = source.in_force(on)
        key = ALGORITHM + "|db|" + "|".join(s.snapshot_id for s in chosen.snapshots)
        matcher = _cached_matcher(
            key, lambda: Matcher.build(source.records(chosen)), cache_dir, notify, memo
        )
        info = tuple((s.list_id, s.snapshot_date.isoformat()) for s in chosen.snapshots)
        return ListsInUse(matcher, info, tuple(chosen.notes()))


def open_lists(
    url: str,
    *,
    as_of: dt.date,
    lists: Sequence[str] | None = None,
    cache_dir: Path | None = None,
    sanctions_dir: Path | None = None,
    notify: Notify | None = None,
    memo: MutableMapping[str, Matcher] | None = None,
) -> ListsInUse:
    """The matcher over the database's snapshots in force on ``as_of`` (narrowed to
    ``lists``), else over the list files of ``sanctions_dir`` (or the shared data).

    ``cache_dir`` keeps built indexes between runs (None: no disk cache); ``memo`` keeps the
    last one in memory for a long-lived caller (the API); ``notify`` hears progress."""
    say: Notify = notify or (lambda _message: None)
    notes: list[str] = []
    try:
        found = _database_lists(url, lists, as_of, cache_dir, say, memo)
    except InvalidInput:
        raise
    except Exception as error:  # a database without list tables: use the shipped lists
        found = None
        notes.append(f"database lists unavailable ({type(error).__name__}); used shipped lists")
    if found is not None:
        return found
    paths = shipped_list_paths(sanctions_dir)
    stamp = "|".join(f"{p}:{_tree_stamp(p)}" for p in paths)
    matcher = _cached_matcher(
        ALGORITHM + "|files|" + stamp,
        lambda: build_from_files(read_paths(paths)),
        cache_dir,
        say,
        memo,
    )
    check_lists(lists, [list_id for list_id, _ in matcher.snapshots], "in the shipped list files")
    wanted = set(lists) if lists else None
    info = tuple(
        (list_id, day) for list_id, day in matcher.snapshots if wanted is None or list_id in wanted
    )
    notes.append(
        "no list snapshot in the database: screened against the list files "
        + ", ".join(p.name for p in paths)
    )
    return ListsInUse(matcher, info, tuple(notes))


# --- one name -------------------------------------------------------------------------------


def screen_with(
    in_use: ListsInUse,
    name: str,
    *,
    kind: str | None,
    country: str | None,
    birth_date: str | None,
    lists: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Screen one name with an opened matcher; the ``urif screen --json`` object."""
    check_kind(kind)
    query = Query(name=name, kind=matcher_kind(kind), country=country, birth_date=birth_date)
    result = in_use.matcher.screen(query, lists=lists)
    return {
        "decision": result.decision,
        "hits": [hit_json(h) for h in result.hits],
        "lists": in_use.lists_json(),
        "query": {"name": name, "kind": kind, "country": country, "birth_date": birth_date},
        "meta": {"algorithm": result.algorithm, "notes": [*in_use.notes, *result.warnings]},
    }


def screen_name(
    url: str,
    name: str,
    *,
    kind: str | None,
    country: str | None,
    birth_date: str | None,
    as_of: dt.date,
    lists: Sequence[str] | None = None,
    cache_dir: Path | None = None,
    sanctions_dir: Path | None = None,
    notify: Notify | None = None,
    memo: MutableMapping[str, Matcher] | None = None,
) -> dict[str, Any]:
    """``urif screen NAME --json``: ``decision``, ``hits``, ``lists``, ``query`` and ``meta``
    (notes on the lists used and on the query) for one name, with the lists in force on
    ``as_of``."""
    check_kind(kind)
    in_use = open_lists(
        url,
        as_of=as_of,
        lists=lists,
        cache_dir=cache_dir,
        sanctions_dir=sanctions_dir,
        notify=notify,
        memo=memo,
    )
    return screen_with(in_use, name, kind=kind, country=country, birth_date=birth_date, lists=lists)


# --- a batch --------------------------------------------------------------------------------


def read_batch(file: Path) -> tuple[list[dict[str, str]], list[str]]:
    """Rows of a screening CSV (header with ``name``), read as UTF-8 with bad bytes
    replaced, and warnings about the file."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{file}: cannot be read ({error.strerror})") from error
    text = raw.decode("utf-8-sig", errors="replace")
    warnings = [f"{file}: invalid UTF-8 bytes replaced"] if "\ufffd" in text else []
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    if "name" not in header:
        raise InvalidInput(f"{file}: expected a CSV header with a `name` column, got {header}")
    rows = [
        {(k or "").strip().lower(): (v or "") for k, v in row.items() if isinstance(v, str)}
        for row in reader
    ]
    return rows, warnings


def screen_rows(
    in_use: ListsInUse,
    rows: Iterable[dict[str, str]],
    *,
    where: str,
    lists: Sequence[str] | None = None,
) -> Iterator[BatchRow]:
    """Screen batch rows in order, one result each; a row that cannot be screened yields
    ``review`` with its ``error`` (lines are numbered from 2, after the header)."""
    for line, row in enumerate(rows, start=2):
        warnings: list[str] = []
        ident = row.get("id", "") or str(line - 1)
        raw_kind = row.get("kind", "").strip().lower().replace(" ", "")
        kind = BATCH_KINDS.get(raw_kind) if raw_kind else None
        if raw_kind and kind is None:
            warnings.append(f"{where}:{line}: kind {raw_kind!r} unknown; ignored")
        query = Query(
            name=row.get("name", ""),
            kind=kind,
            country=row.get("country", "").strip() or None,
            birth_date=row.get("birth_date", "").strip() or None,
        )
        item: dict[str, Any] = {"id": ident, "name": query.name}
        try:
            result = in_use.matcher.screen(query, lists=lists)
            item["decision"] = result.decision
            item["hits"] = [hit_json(h) for h in result.hits]
            warnings.extend(f"{where}:{line}: {w}" for w in result.warnings)
        except UrifError as error:
            item["decision"] = "review"
            item["hits"] = []
            item["error"] = str(error)
            warnings.append(f"{where}:{line}: {error}")
        yield BatchRow(item, tuple(warnings))


def screen_file(
    url: str,
    file: Path,
    *,
    as_of: dt.date,
    lists: Sequence[str] | None = None,
    cache_dir: Path | None = None,
    sanctions_dir: Path | None = None,
    notify: Notify | None = None,
) -> tuple[ListsInUse, list[BatchRow], list[str]]:
    """``urif screen --file F.csv``: the lists used, one result per row in input order, and
    the file's warnings."""
    rows, warnings = read_batch(file)
    in_use = open_lists(
        url,
        as_of=as_of,
        lists=lists,
        cache_dir=cache_dir,
        sanctions_dir=sanctions_dir,
        notify=notify,
    )
    return in_use, list(screen_rows(in_use, rows, where=str(file), lists=lists)), warnings
