"""Screening speed, memory and quality with all shipped lists loaded.

Prints one JSON line per figure: index build from the files, load of the built index,
query latency p50/p99, a batch of 10,000 counterparties, resident memory, the throughput
of our name comparison against nomenklatura's logic-v2 on the same candidate pairs (the
baseline ratio), and quality figures (variants of listed persons flagged, press
romanisations flagged, ordinary names flagged).

    .venv/bin/python bench/screening.py [--queries 2000] [--batch 10000]
    .venv/bin/python bench/screening.py --write-pairs DIR   # rebuild the evaluation pairs
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from urif.compliance.evaluation import build_pairs, write_pairs  # noqa: E402
from urif.compliance.matcher import Matcher, Query, record_from_entity  # noqa: E402
from urif.compliance.normalise import analyse  # noqa: E402
from urif.compliance.score import compare  # noqa: E402
from urif.compliance.sources import read_paths  # noqa: E402
from urif.compliance.transliterate import romanise  # noqa: E402

SANCTIONS = ROOT.parent / "shared" / "data" / "sanctions"
MACHINE = "2 cores, 24 GiB, no GPU"

FIRST = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Hans",
    "Anna",
    "Klaus",
    "Ursula",
    "Jürgen",
    "Monika",
    "Stefan",
    "Petra",
    "Wolfgang",
    "Sabine",
    "Pierre",
    "Marie",
    "Jean",
    "Nathalie",
    "Michel",
    "Isabelle",
    "Philippe",
    "Sophie",
    "Alain",
    "Catherine",
    "Jose",
    "Maria",
    "Antonio",
    "Carmen",
    "Manuel",
    "Ana",
    "Francisco",
    "Laura",
    "Lucia",
    "Olena",
    "Oksana",
    "Andriy",
    "Iryna",
    "Mykola",
    "Tetiana",
    "Taras",
    "Natalia",
    "Bohdan",
    "Yulia",
    "Ivan",
    "Olga",
    "Sergey",
    "Elena",
    "Dmitry",
    "Tatiana",
    "Alexey",
    "Svetlana",
    "Mikhail",
    "Irina",
    "Mohammed",
    "Fatima",
    "Ahmed",
    "Aisha",
    "Ali",
    "Mariam",
    "Omar",
    "Layla",
    "Hassan",
    "Noor",
    "Wei",
    "Li",
    "Jing",
    "Min",
    "Hui",
    "Chen",
    "Raj",
    "Priya",
    "Amit",
    "Sunita",
    "Kenji",
    "Yuki",
    "Hiroshi",
    "Sakura",
    "Piotr",
    "Agnieszka",
    "Tomasz",
    "Katarzyna",
    "Lars",
    "Ingrid",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Dubois",
    "Durand",
    "Lefebvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Leroy",
    "Roux",
    "Fournier",
    "Fernandez",
    "Lopez",
    "Gonzalez",
    "Sanchez",
    "Perez",
    "Gomez",
    "Diaz",
    "Moreno",
    "Alvarez",
    "Romero",
    "Shevchenko",
    "Kovalenko",
    "Bondarenko",
    "Tkachenko",
    "Kravchenko",
    "Oliynyk",
    "Shevchuk",
    "Polishchuk",
    "Lysenko",
    "Marchenko",
    "Ivanov",
    "Smirnov",
    "Kuznetsov",
    "Popov",
    "Vasiliev",
    "Petrov",
    "Sokolov",
    "Mikhailov",
    "Novikov",
    "Fedorov",
    "Khan",
    "Hussein",
    "Ahmed",
    "Ali",
    "Rahman",
    "Hassan",
    "Ibrahim",
    "Mahmoud",
    "Abdullah",
    "Saleh",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Patel",
    "Sharma",
    "Singh",
    "Kumar",
    "Gupta",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Nowak",
    "Kowalski",
    "Wisniewski",
    "Johansson",
    "Andersson",
    "Nilsson",
]


def emit(figure: str, value: float, unit: str, **extra: object) -> None:
    """One JSON line per figure."""
    print(
        json.dumps(
            {
                "bench": "screening",
                "figure": figure,
                "value": value,
                "unit": unit,
                "machine": MACHINE,
                **extra,
            }
        ),
        flush=True,
    )


def list_paths() -> list[Path]:
    """OFAC 2024, UN, EU 269 and 833 from ../shared/data/sanctions."""
    return [
        SANCTIONS / "ofac-sdn-2024-06",
        *sorted((SANCTIONS / "un").glob("*.xml")),
        *sorted((SANCTIONS / "eu").glob("*.csv")),
    ]


def ordinary_names(count: int, rng: random.Random) -> list[str]:
    """Distinct first-name + family-name combinations from many countries."""
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    return sorted(names)


def main() -> None:
    """Run every figure."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--write-pairs", type=Path)
    args = parser.parse_args()
    rng = random.Random(20260301)

    started = time.perf_counter()
    parsed = read_paths(list_paths())
    parse_s = time.perf_counter() - started
    records = [r for p in parsed for r in p.records]
    built = time.perf_counter()
    matcher = Matcher.build(records)
    build_s = time.perf_counter() - built
    names = sum(len(r.names) + len(r.weak_names) for r in matcher.records)
    emit(
        "index_build_from_files",
        round(parse_s + build_s, 2),
        "s",
        target="< 60",
        parse_s=round(parse_s, 2),
        build_s=round(build_s, 2),
        entities=len(matcher.records),
        names=names,
        indexed_forms=len(matcher.forms),
    )

    if args.write_pairs:
        rows = build_pairs([record_from_entity(r) for r in records])
        args.write_pairs.mkdir(parents=True, exist_ok=True)
        columns = ["schema", "name1", "name2", "is_match", "category", "script", "split"]
        for split in ("dev", "test"):
            chosen = [r for r in rows if r["split"] == split]
            (args.write_pairs / f"pairs_{split}.csv").write_text(write_pairs(chosen, columns))
        print(f"wrote {len(rows)} pairs to {args.write_pairs}", file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.pkl"
        matcher.save(path)
        del matcher
        gc.collect()
        loaded = time.perf_counter()
        matcher = Matcher.load(path)
        gc.freeze()  # the index is long-lived: keep the collector from walking it per query
        emit(
            "index_load",
            round(time.perf_counter() - loaded, 3),
            "s",
            target="< 3",
            size_mb=round(path.stat().st_size / 1e6, 1),
        )

    persons = [r for r in matcher.records if r.kind == "person"]
    listed = [rng.choice(persons).names[0] for _ in range(args.queries // 2)]
    queries = listed + ordinary_names(args.queries - len(listed), rng)
    rng.shuffle(queries)
    latencies: list[float] = []
    pairs: list[tuple[object, object]] = []
    for name in queries:
        t = time.perf_counter()
        result = matcher.screen(Query(name))
        latencies.append((time.perf_counter() - t) * 1000)
        del result
        forms = analyse(name, None)
        _, candidates = matcher.index.candidates(forms)
        pairs.extend((forms[0], matcher.forms[c]) for c in candidates[:5] if forms)
    latencies.sort()
    emit(
        "query_p50",
        round(statistics.median(latencies), 2),
        "ms",
        target="< 5",
        queries=len(queries),
    )
    emit("query_p99", round(latencies[int(len(latencies) * 0.99) - 1], 2), "ms", target="< 25")

    batch = [Query(n, "person") for n in ordinary_names(min(args.batch, 9000), rng)]
    batch += [Query(rng.choice(persons).names[0], "person") for _ in range(args.batch - len(batch))]
    t = time.perf_counter()
    for query in batch:
        matcher.screen(query)
    emit(
        "batch_10000",
        round(time.perf_counter() - t, 2),
        "s",
        target="< 60 on 2 cores",
        rows=len(batch),
        processes=1,
    )
    emit(
        "rss_max",
        round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "MiB",
        target="< 1536",
    )

    baseline(pairs[:400], matcher)
    quality(matcher, rng)


def baseline(pairs: list[tuple[object, object]], matcher: Matcher) -> None:
    """Our comparison vs nomenklatura logic-v2 on the same candidate pairs (pairs/s)."""
    from followthemoney import model

    t = time.perf_counter()
    for q, c in pairs:
        compare(q, c, matcher.index.weight)  # type: ignore[arg-type]
    ours = len(pairs) / (time.perf_counter() - t)
    try:
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:  # not a dependency of urif: the ratio needs it installed by hand
        emit("compare_throughput", round(ours, 0), "pairs/s", baseline=None, pairs=len(pairs))
        return
    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = ScoringConfig.defaults()
    entities = []
    for number, (q, c) in enumerate(pairs):
        left = model.make_entity("LegalEntity")
        left.id = f"q{number}"
        left.add("name", q.key)  # type: ignore[attr-defined]
        right = model.make_entity("LegalEntity")
        right.id = f"c{number}"
        right.add("name", c.key)  # type: ignore[attr-defined]
        entities.append((left, right))
    algorithm.compare(*entities[0], config)  # warm up its name tables
    t = time.perf_counter()
    for left, right in entities:
        algorithm.compare(left, right, config)
    theirs = len(entities) / (time.perf_counter() - t)
    emit(
        "compare_throughput",
        round(ours, 0),
        "pairs/s",
        baseline="nomenklatura logic-v2",
        baseline_value=round(theirs, 0),
        ratio=round(ours / theirs, 1),
        pairs=len(pairs),
    )


def quality(matcher: Matcher, rng: random.Random) -> None:
    """Variants of listed persons, press romanisations and ordinary names, through screen."""
    persons = [r for r in matcher.records if r.kind == "person" and len(r.names[0].split()) >= 2]
    sample = rng.sample(persons, 500)
    flagged = 0
    total = 0
    for record in sample:
        words = record.names[0].replace(",", " ").split()
        variants = [" ".join(reversed(words)), record.names[0].upper(), record.names[0].lower()]
        for name in variants:
            result = matcher.screen(Query(name, "person"))
            total += 1
            flagged += any(h.entity_id == record.entity_id for h in result.hits)
    emit(
        "variants_flagged",
        round(flagged / total, 4),
        "share",
        target=">= 0.98",
        variants=total,
        kinds="word order, upper case, lower case",
    )
    parts: dict[str, list[int]] = {"short_form": [0, 0], "initial": [0, 0]}
    for record in sample:
        given, family = _given_and_family(record.names[0])
        if not given or not family:
            continue
        forms = {"initial": [f"{given[0][0]}. {family}", f"{family} {given[0][0]}."]}
        if len(given) >= 2:
            forms["short_form"] = [f"{given[0]} {family}", f"{family} {given[0]}"]
        for kind, names in forms.items():
            for name in names:
                parts[kind][0] += matcher.screen(Query(name, "person")).decision != "clear"
                parts[kind][1] += 1
    for kind, (hit, count) in parts.items():
        emit(
            f"variants_{kind}_flagged",
            round(hit / count, 4),
            "share",
            target=">= 0.98",
            variants=count,
        )
    cyrillic = [
        (record, name)
        for record in matcher.records
        if record.kind == "person"
        for name in record.names
        if any("\u0400" <= ch <= "\u04ff" for ch in name)
    ]
    sample_c = rng.sample(cyrillic, min(500, len(cyrillic)))
    flagged = 0
    for record, name in sample_c:
        scheme = rng.choice(("german_press", "french_press"))
        result = matcher.screen(Query(romanise(name, scheme).title(), "person"))
        flagged += any(h.entity_id == record.entity_id for h in result.hits)
    emit(
        "press_romanisations_flagged",
        round(flagged / len(sample_c), 4),
        "share",
        target=">= 0.60",
        names=len(sample_c),
        note="generated by our own tables",
    )
    ordinary = ordinary_names(3000, rng)
    hits = sum(matcher.screen(Query(n, "person")).decision != "clear" for n in ordinary)
    emit(
        "ordinary_names_flagged",
        round(hits / len(ordinary), 4),
        "share",
        target="<= 0.005",
        names=len(ordinary),
    )
    dated = [
        Query(n, "person", birth_date=f"{rng.randint(1940, 2004)}-{rng.randint(1, 12)}-1")
        for n in ordinary
    ]
    hits = sum(matcher.screen(q).decision != "clear" for q in dated)
    emit(
        "ordinary_names_with_birth_date_flagged",
        round(hits / len(dated), 4),
        "share",
        target="<= 0.005",
        names=len(dated),
    )


def _given_and_family(name: str) -> tuple[list[str], str]:
    """Given names and family name of a listed person's name (``FAMILY, Given`` or
    ``Given FAMILY``; else the last word is the family name)."""
    if "," in name:
        family, _, given = name.partition(",")
        return given.split(), family.strip()
    words = name.split()
    upper = [w for w in words if w.isupper() and len(w) > 1]
    if upper and len(upper) < len(words):
        return [w for w in words if w not in upper], " ".join(upper)
    return words[:-1], " ".join(words[-1:])


if __name__ == "__main__":
    main()
