"""Screening-list snapshots in the database: one row per snapshot, one per listed entity.

Owns the ``list_snapshots`` and ``list_entries`` tables (created by Alembic revision
``0003_compliance``) and the SQL that writes a parsed snapshot in one batch and reads
snapshots and their records back as ``urif.compliance`` values.  Entities are stored as
FollowTheMoney JSON, so a snapshot rebuilds exactly; ``role`` tells listed targets from
relations (Ownership, Directorship...) kept for the ownership graph.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import Column, Connection, Integer, String, Table, Text, insert, select

from urif.compliance.snapshot import SnapshotInfo
from urif.compliance.sources.record import ListRecord, ParsedList, ftm_model
from urif.store.schema import metadata

TARGET = "target"
RELATION = "relation"

list_snapshots = Table(
    "list_snapshots",
    metadata,
    Column("snapshot_id", String(200), primary_key=True),
    Column("list_id", String(100), nullable=False),
    Column("snapshot_date", String(10), nullable=False),
    Column("dated_by", String(10), nullable=False),
    Column("checksum", String(64), nullable=False),
    Column("licence", Text, nullable=False),
    Column("format", String(40), nullable=False),
    Column("files", Text, nullable=False),
    Column("entities", Integer, nullable=False),
    Column("loaded_on", String(10), nullable=False),
)

list_entries = Table(
    "list_entries",
    metadata,
    Column("snapshot_id", String(200), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("role", String(10), nullable=False),
    Column("source_id", String(200), nullable=False),
    Column("schema", String(40), nullable=False),
    Column("caption", Text, nullable=False),
    Column("programmes", Text, nullable=False),
    Column("listing_date", String(10), nullable=True),
    Column("fingerprint", String(64), nullable=False),
    Column("entity", Text, nullable=False),
)


def _info(row: Sequence[object]) -> SnapshotInfo:
    return SnapshotInfo(
        snapshot_id=str(row[0]),
        list_id=str(row[1]),
        snapshot_date=dt.date.fromisoformat(str(row[2])),
        dated_by=str(row[3]),
        checksum=str(row[4]),
        licence=str(row[5]),
        format=str(row[6]),
        files=tuple(json.loads(str(row[7]))),
        entities=int(str(row[8])),
        loaded_on=dt.date.fromisoformat(str(row[9])),
    )


def insert_snapshot(connection: Connection, info: SnapshotInfo, parsed: ParsedList) -> None:
    """Write one snapshot and all its entries (call inside the writer's transaction)."""
    connection.execute(
        insert(list_snapshots).values(
            snapshot_id=info.snapshot_id,
            list_id=info.list_id,
            snapshot_date=info.snapshot_date.isoformat(),
            dated_by=info.dated_by,
            checksum=info.checksum,
            licence=info.licence,
            format=info.format,
            files=json.dumps(list(info.files)),
            entities=info.entities,
            loaded_on=info.loaded_on.isoformat(),
        )
    )
    rows = [
        {
            "snapshot_id": info.snapshot_id,
            "entity_id": r.entity_id,
            "role": TARGET,
            "source_id": r.source_id,
            "schema": r.schema,
            "caption": r.caption,
            "programmes": json.dumps(list(r.programmes), ensure_ascii=False),
            "listing_date": r.listing_date.isoformat() if r.listing_date else None,
            "fingerprint": r.fingerprint(),
            "entity": json.dumps(r.entity.to_dict(), ensure_ascii=False, sort_keys=True),
        }
        for r in parsed.records
    ]
    target_ids = {r["entity_id"] for r in rows}
    for entity in parsed.relations:
        if str(entity.id) in target_ids:
            continue
        target_ids.add(str(entity.id))
        rows.append(
            {
                "snapshot_id": info.snapshot_id,
                "entity_id": str(entity.id),
                "role": RELATION,
                "source_id": str(entity.id),
                "schema": entity.schema.name,
                "caption": str(entity.caption),
                "programmes": "[]",
                "listing_date": None,
                "fingerprint": "",
                "entity": json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True),
            }
        )
    for start in range(0, len(rows), 5000):
        connection.execute(insert(list_entries), rows[start : start + 5000])


def snapshots(connection: Connection) -> tuple[SnapshotInfo, ...]:
    """Every stored snapshot, by list then date."""
    query = select(*list_snapshots.c).order_by(
        list_snapshots.c.list_id, list_snapshots.c.snapshot_date, list_snapshots.c.snapshot_id
    )
    return tuple(_info(row) for row in connection.execute(query))


def records(connection: Connection, snapshot_id: str, list_id: str) -> tuple[ListRecord, ...]:
    """The listed targets of one snapshot, rebuilt as ``ListRecord`` (entity id order)."""
    c = list_entries.c
    query = (
        select(c.source_id, c.programmes, c.listing_date, c.entity)
        .where(c.snapshot_id == snapshot_id, c.role == TARGET)
        .order_by(c.entity_id)
    )
    out = []
    for source_id, programmes, listing_date, entity in connection.execute(query):
        proxy = ftm_model().get_proxy(json.loads(entity), cleaned=True)
        listed = dt.date.fromisoformat(listing_date) if listing_date else None
        out.append(ListRecord(list_id, source_id, proxy, tuple(json.loads(programmes)), listed))
    return tuple(out)


def relations(connection: Connection, snapshot_id: str) -> tuple[object, ...]:
    """The relation entities (FtM proxies) of one snapshot."""
    c = list_entries.c
    query = select(c.entity).where(c.snapshot_id == snapshot_id, c.role == RELATION)
    model = ftm_model()
    return tuple(model.get_proxy(json.loads(e), cleaned=True) for (e,) in connection.execute(query))
