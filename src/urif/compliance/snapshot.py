"""List snapshots: how one is dated and identified, which are in force on a date, and diffs.

Owns ``SnapshotInfo`` (what is stored about one loaded snapshot), ``date_snapshot`` (the
date inside the file, else ``--snapshot-date``, else the load date, and which of the
three was used), ``snapshot_id``, ``in_force`` (per list, the latest snapshot dated on or
before a day; where none is yet, the earliest, and says so) and ``diff_records`` (added,
removed and changed entries between two snapshots of one list, by entity id and content
fingerprint).  Pure: the store keeps snapshots, ``urif.actions.compliance`` loads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from urif.compliance.sources.record import ListRecord, ParsedList

DATED_BY_FILE = "file"
DATED_BY_OPTION = "option"
DATED_BY_LOAD = "load"


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """One stored snapshot of one list."""

    snapshot_id: str
    list_id: str
    snapshot_date: dt.date
    dated_by: str
    checksum: str
    licence: str
    format: str
    files: tuple[str, ...]
    entities: int
    loaded_on: dt.date


def snapshot_id(list_id: str, snapshot_date: dt.date, checksum: str) -> str:
    """``list@date#checksum-prefix``: readable and content-addressed.

    >>> snapshot_id("ofac-sdn", dt.date(2024, 6, 1), "ab" * 32)
    'ofac-sdn@2024-06-01#abababababab'
    """
    return f"{list_id}@{snapshot_date.isoformat()}#{checksum[:12]}"


def date_snapshot(
    parsed: ParsedList, option: dt.date | None, loaded_on: dt.date
) -> tuple[dt.date, str]:
    """The snapshot date and what dated it: the file, the option, or the load date."""
    if parsed.file_date is not None:
        return parsed.file_date, DATED_BY_FILE
    if option is not None:
        return option, DATED_BY_OPTION
    return loaded_on, DATED_BY_LOAD


def describe(parsed: ParsedList, option: dt.date | None, loaded_on: dt.date) -> SnapshotInfo:
    """The SnapshotInfo a parsed list will be stored as."""
    day, dated_by = date_snapshot(parsed, option, loaded_on)
    return SnapshotInfo(
        snapshot_id=snapshot_id(parsed.list_id, day, parsed.checksum),
        list_id=parsed.list_id,
        snapshot_date=day,
        dated_by=dated_by,
        checksum=parsed.checksum,
        licence=parsed.licence,
        format=parsed.format,
        files=tuple(f.name for f in parsed.files),
        entities=len(parsed.records),
        loaded_on=loaded_on,
    )


@dataclass(frozen=True, slots=True)
class InForce:
    """The snapshots used for a date, and the lists for which none was yet in force."""

    on: dt.date
    snapshots: tuple[SnapshotInfo, ...]
    earliest_used: tuple[str, ...] = ()

    def notes(self) -> tuple[str, ...]:
        """Human notes for lists screened with a snapshot dated after ``on``."""
        by_list = {s.list_id: s for s in self.snapshots}
        return tuple(
            f"{lid}: no snapshot in force on {self.on}; used the earliest, "
            f"{by_list[lid].snapshot_date}"
            for lid in self.earliest_used
        )


def in_force(
    snapshots: Iterable[SnapshotInfo], on: dt.date, lists: Sequence[str] | None = None
) -> InForce:
    """Per list, the latest snapshot dated on or before ``on`` (else the earliest).

    >>> a = SnapshotInfo("a", "x", dt.date(2021, 7, 1), "option", "", "", "", (), 1, dt.date(2026, 1, 1))
    >>> b = SnapshotInfo("b", "x", dt.date(2024, 6, 1), "option", "", "", "", (), 1, dt.date(2026, 1, 1))
    >>> [s.snapshot_id for s in in_force([a, b], dt.date(2022, 1, 1)).snapshots]
    ['a']
    >>> in_force([a, b], dt.date(2020, 1, 1)).earliest_used
    ('x',)
    """
    by_list: dict[str, list[SnapshotInfo]] = {}
    for snap in snapshots:
        if lists is None or snap.list_id in lists:
            by_list.setdefault(snap.list_id, []).append(snap)
    chosen: list[SnapshotInfo] = []
    earliest: list[str] = []
    for list_id in sorted(by_list):
        ordered = sorted(by_list[list_id], key=lambda s: (s.snapshot_date, s.loaded_on))
        dated = [s for s in ordered if s.snapshot_date <= on]
        if dated:
            chosen.append(dated[-1])
        else:
            chosen.append(ordered[0])
            earliest.append(list_id)
    return InForce(on, tuple(chosen), tuple(earliest))


@dataclass(frozen=True, slots=True)
class EntryChange:
    """One entry present in both snapshots whose content differs."""

    entity_id: str
    caption: str
    properties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListDiff:
    """Entries added, removed and changed between two snapshots (entity id, caption)."""

    old: str
    new: str
    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    changed: tuple[EntryChange, ...]


def _changed_props(old: ListRecord, new: ListRecord) -> tuple[str, ...]:
    names = set(old.entity.properties) | set(new.entity.properties)
    props = [
        p
        for p in sorted(names)
        if sorted(old.entity.get(p, quiet=True)) != sorted(new.entity.get(p, quiet=True))
    ]
    if old.schema != new.schema:
        props.insert(0, "schema")
    if old.programmes != new.programmes:
        props.append("programmes")
    if old.listing_date != new.listing_date:
        props.append("listing_date")
    return tuple(props)


def diff_records(
    old_id: str, old: Iterable[ListRecord], new_id: str, new: Iterable[ListRecord]
) -> ListDiff:
    """Added, removed and changed entries, each sorted by entity id."""
    before = {r.entity_id: r for r in old}
    after = {r.entity_id: r for r in new}
    added = tuple((i, after[i].caption) for i in sorted(after.keys() - before.keys()))
    removed = tuple((i, before[i].caption) for i in sorted(before.keys() - after.keys()))
    changed = []
    for ident in sorted(before.keys() & after.keys()):
        if before[ident].fingerprint() != after[ident].fingerprint():
            props = _changed_props(before[ident], after[ident])
            changed.append(EntryChange(ident, after[ident].caption, props))
    return ListDiff(old_id, new_id, added, removed, tuple(changed))
