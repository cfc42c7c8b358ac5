"""Ownership and control graph, and the rules that block a party through its owners.

Owns ``Holding`` (one reported owner→asset stake, with its source), ``OwnershipGraph``
(built from FtM ``Ownership``/``Directorship`` entities, BODS v0.4 statements and the
``owners`` of ``counterparty_registered``), and three determinations, each explained as
paths from listed owners down to the subject:

- ``ofac_50`` — OFAC's 50 Percent Rule (FAQ 398-401): a fixed point; an entity is blocked
  when blocked persons hold, directly or through entities that are themselves blocked, 50%
  or more in aggregate.  A stake held through a blocked intermediary counts in full (not
  multiplied); a stake through an unblocked intermediary counts nothing; control does not.
- ``eu_50_or_control`` — the EU test (Best Practices, July 2024): 50% or more in
  aggregate, or control (a controlling interest of a listed or owned-or-controlled party).
- ``fund_any_owner`` — the fund's stricter flag: any listed owner or controller anywhere
  up the chain, whatever the stake, means review.

Conflicting percentages for one owner→asset pair are resolved to the worst case (the
highest) and every source is kept; stakes without a percentage, unidentified owners and
cycles are flagged.  Shares are Decimal fractions (``0.5`` = 50%).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy


HALF = Decimal("0.5")
UNKNOWN_OWNER = "unknown-owner"
UNKNOWN_SHARE = "unknown-share"
CONFLICTING_SHARES = "conflicting-shares"
CYCLE = "cycle"

#: BODS interest types that give control (EU test) rather than only ownership.
BODS_CONTROL = frozenset(
    {
        "votingRights",
        "appointmentOfBoard",
        "otherInfluenceOrControl",
        "controlViaCompanyRulesOrArticles",
        "controlByLegalFramework",
        "rightsGrantedByContract",
        "nominee",
        "nominator",
    }
)
BODS_OWNERSHIP = frozenset({"shareholding", "rightsToSurplusAssetsOnDissolution"})


def percent(text: str | float | int | Decimal | None) -> Decimal | None:
    """A percentage (``"50"``, ``"50%"``, ``50.0``) as a Decimal fraction, or None.

    >>> percent("50"), percent("12.5%"), percent(None), percent("many")
    (Decimal('0.5'), Decimal('0.125'), None, None)
    """
    if text is None:
        return None
    try:
        value = Decimal(str(text).strip().rstrip("%").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > 100:
        return None
    return value / 100


def fmt_share(share: Decimal | None) -> str:
    """A share fraction as a percentage for explanations.

    >>> fmt_share(Decimal("0.6")), fmt_share(Decimal("0.125")), fmt_share(None)
    ('60%', '12.5%', '?%')
    """
    if share is None:
        return "?%"
    value = (share * 100).normalize()
    return f"{value:f}%"


@dataclass(frozen=True, slots=True)
class Holding:
    """One reported stake: owner → asset, a share fraction (None if unknown), a source."""

    owner: str
    asset: str
    share: Decimal | None
    source: str
    control: bool = False


@dataclass(frozen=True, slots=True)
class Stake:
    """Every report for one owner→asset pair, resolved to the worst case."""

    owner: str
    asset: str
    holdings: tuple[Holding, ...]

    @property
    def share(self) -> Decimal | None:
        """The highest reported share (worst case), None when no report has one."""
        known = [h.share for h in self.holdings if h.share is not None]
        return max(known) if known else None

    @property
    def control(self) -> bool:
        """Whether any report gives the owner control."""
        return any(h.control for h in self.holdings)

    @property
    def conflicting(self) -> bool:
        """Whether reports disagree on the share."""
        return len({h.share for h in self.holdings if h.share is not None}) > 1

    def describe(self) -> str:
        """``owner -60%-> asset`` with sources, and every conflicting figure."""
        share = fmt_share(self.share) if self.share is not None else "?%"
        label = f"{share}{', control' if self.control else ''}"
        sources = sorted({h.source for h in self.holdings})
        text = f"-{label}->"
        if self.conflicting:
            figures = ", ".join(f"{fmt_share(h.share)} ({h.source})" for h in self.holdings)
            text += f" [worst of {figures}]"
        return f"{text} ({'; '.join(sources)})" if not self.conflicting else text


@dataclass(frozen=True, slots=True)
class Determination:
    """The outcome of one rule for one subject, with the paths that explain it."""

    subject: str
    rule: str
    applies: bool
    share: Decimal | None = None
    paths: tuple[tuple[str, ...], ...] = ()
    flags: tuple[str, ...] = ()

    def explain(self) -> str:
        """One line: the rule, the outcome, the aggregate share, each path and the flags."""
        verdict = "applies" if self.applies else "does not apply"
        bits = [f"{self.rule} {verdict} to {self.subject}"]
        if self.share is not None:
            bits.append(f"aggregate {fmt_share(self.share)}")
        bits.extend(f"path: {' '.join(p)}" for p in self.paths)
        if self.flags:
            bits.append(f"flags: {', '.join(self.flags)}")
        return "; ".join(bits)


@dataclass(frozen=True, slots=True)
class OwnershipGraph:
    """Owner→asset stakes with their sources, node names, and assets with unidentified owners."""

    holdings: tuple[Holding, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    unknown_owners: frozenset[str] = frozenset()

    def merge(self, other: OwnershipGraph) -> OwnershipGraph:
        """Both graphs' holdings, names and unknown-owner markers."""
        return OwnershipGraph(
            self.holdings + other.holdings,
            {**self.names, **other.names},
            self.unknown_owners | other.unknown_owners,
        )

    def stakes_into(self) -> dict[str, dict[str, Stake]]:
        """asset → owner → Stake (all reports of that pair)."""
        grouped: dict[tuple[str, str], list[Holding]] = defaultdict(list)
        for h in self.holdings:
            grouped[(h.owner, h.asset)].append(h)
        out: dict[str, dict[str, Stake]] = defaultdict(dict)
        for (owner, asset), items in grouped.items():
            out[asset][owner] = Stake(owner, asset, tuple(items))
        return out

    def label(self, node: str) -> str:
        """``name [id]`` when the name is known, else the id."""
        name = self.names.get(node)
        return f"{name} [{node}]" if name and name != node else node

    @staticmethod
    def from_ftm(entities: Iterable[EntityProxy], source: str = "ftm") -> OwnershipGraph:
        """Ownership (with ``percentage``) and Directorship (as control) entities."""
        holdings: list[Holding] = []
        names: dict[str, str] = {}
        for entity in entities:
            schema = entity.schema.name
            if schema == "Ownership":
                for owner in entity.get("owner"):
                    for asset in entity.get("asset"):
                        shares = [percent(p) for p in entity.get("percentage")] or [None]
                        for share in shares:
                            holdings.append(Holding(owner, asset, share, f"{source}:{entity.id}"))
            elif schema == "Directorship":
                for director in entity.get("director"):
                    for org in entity.get("organization"):
                        holdings.append(
                            Holding(director, org, None, f"{source}:{entity.id}", control=True)
                        )
            elif entity.schema.is_a("Thing") and entity.id:
                names[str(entity.id)] = str(entity.caption)
        known = set(names)
        unknown = frozenset(h.asset for h in holdings if known and h.owner not in known)
        return OwnershipGraph(tuple(holdings), names, unknown)

    @staticmethod
    def from_bods(statements: Sequence[Mapping[str, Any]], source: str = "bods") -> OwnershipGraph:
        """BODS v0.4 records: relationship interests become holdings; unspecified parties
        mark their subject as having unknown owners."""
        holdings: list[Holding] = []
        names: dict[str, str] = {}
        unknown: set[str] = set()
        for statement in statements:
            record = str(statement.get("recordId", ""))
            details = statement.get("recordDetails") or {}
            kind = statement.get("recordType")
            if kind == "entity":
                names[record] = str(details.get("name") or record)
            elif kind == "person":
                person_names = details.get("names") or [{}]
                names[record] = str(person_names[0].get("fullName") or record)
            elif kind == "relationship":
                subject, party = details.get("subject"), details.get("interestedParty")
                where = f"{source}:{statement.get('statementId', record)}"
                if not isinstance(subject, str):
                    continue
                if not isinstance(party, str):
                    unknown.add(subject)
                    continue
                for interest in details.get("interests") or [{}]:
                    holding = _bods_holding(party, subject, interest, where)
                    if holding is not None:
                        holdings.append(holding)
        return OwnershipGraph(tuple(holdings), names, frozenset(unknown))

    @staticmethod
    def from_owners(
        owners: Mapping[str, Sequence[tuple[str, Decimal]]], names: Mapping[str, str]
    ) -> OwnershipGraph:
        """Counterparties' ``owners`` (asset → [(owner, share fraction)])."""
        holdings = tuple(
            Holding(owner, asset, share, f"counterparty_registered:{asset}")
            for asset, items in owners.items()
            for owner, share in items
        )
        return OwnershipGraph(holdings, dict(names))


def _bods_holding(
    party: str, subject: str, interest: Mapping[str, Any], where: str
) -> Holding | None:
    """One BODS interest as a holding: ownership with its share, or control."""
    itype = str(interest.get("type", "unknownInterest"))
    bounds = interest.get("share") or {}
    raw = bounds.get("exact", bounds.get("maximum", bounds.get("exclusiveMaximum")))
    share = percent(raw)
    source = f"{where}:{itype}"
    if itype == "votingRights":
        if share is not None and share <= HALF:
            return None  # a minority of votes is neither ownership nor control
        return Holding(party, subject, None, source, control=True)
    if itype in BODS_CONTROL:
        return Holding(party, subject, None, source, control=True)
    if itype in BODS_OWNERSHIP or itype == "unknownInterest":
        return Holding(party, subject, share, source)
    return None


def _blocked_fixed_point(
    stakes: Mapping[str, Mapping[str, Stake]], listed: frozenset[str], with_control: bool
) -> dict[str, tuple[Stake, ...]]:
    """node → the stakes that made it blocked (empty tuple for listed nodes)."""
    blocked: dict[str, tuple[Stake, ...]] = dict.fromkeys(listed, ())
    changed = True
    while changed:
        changed = False
        for asset, owners in stakes.items():
            if asset in blocked:
                continue
            contributing = tuple(s for o, s in sorted(owners.items()) if o in blocked)
            total = sum((s.share or Decimal(0) for s in contributing), Decimal(0))
            controlled = with_control and any(s.control for s in contributing)
            if contributing and (total >= HALF or controlled):
                blocked[asset] = contributing
                changed = True
    return blocked


def _paths(
    node: str, reasons: Mapping[str, tuple[Stake, ...]], graph: OwnershipGraph, seen: frozenset[str]
) -> list[tuple[str, ...]]:
    stakes = reasons.get(node, ())
    if not stakes:
        return [(f"{graph.label(node)} (listed)",)]
    out: list[tuple[str, ...]] = []
    for stake in stakes:
        if stake.owner in seen:
            continue
        for upstream in _paths(stake.owner, reasons, graph, seen | {node}):
            out.append((*upstream, stake.describe(), graph.label(node)))
    return out


def _upstream(stakes: Mapping[str, Mapping[str, Stake]], subject: str) -> dict[str, Stake]:
    """BFS up the owners: node → the stake by which it reaches toward subject."""
    via: dict[str, Stake] = {}
    queue = deque([subject])
    visited = {subject}
    while queue:
        node = queue.popleft()
        for owner, stake in sorted(stakes.get(node, {}).items()):
            if owner not in visited:
                visited.add(owner)
                via[owner] = stake
                queue.append(owner)
    return via


def _has_cycle(stakes: Mapping[str, Mapping[str, Stake]], subject: str) -> bool:
    """Whether the owners above ``subject`` own each other in a loop.

    A depth-first walk up the owners: an owner met again while still on the current path
    closes a loop. One met again from another path is a diamond (two routes to the same
    owner, as when a parent holds a stake directly and through a subsidiary), not a loop.
    """
    on_path = {subject}
    done: set[str] = set()
    walk = [(subject, iter(sorted(stakes.get(subject, {}))))]
    while walk:
        node, owners = walk[-1]
        owner = next(owners, None)
        if owner is None:
            walk.pop()
            on_path.discard(node)
            done.add(node)
        elif owner in on_path:
            return True
        elif owner not in done:
            on_path.add(owner)
            walk.append((owner, iter(sorted(stakes.get(owner, {})))))
    return False


def _flags(
    graph: OwnershipGraph, stakes: Mapping[str, Mapping[str, Stake]], subject: str
) -> tuple[str, ...]:
    via = _upstream(stakes, subject)
    cycle = _has_cycle(stakes, subject)
    chain = {subject, *via}
    edges = [s for n in chain for s in stakes.get(n, {}).values()]
    flags = []
    if chain & graph.unknown_owners:
        flags.append(UNKNOWN_OWNER)
    if any(s.share is None and not s.control for s in edges):
        flags.append(UNKNOWN_SHARE)
    if any(s.conflicting for s in edges):
        flags.append(CONFLICTING_SHARES)
    if cycle:
        flags.append(CYCLE)
    return tuple(flags)


def _rule(
    graph: OwnershipGraph, listed: Iterable[str], subject: str, rule: str, control: bool
) -> Determination:
    stakes = graph.stakes_into()
    listed_set = frozenset(listed)
    reasons = _blocked_fixed_point(stakes, listed_set, control)
    flags = _flags(graph, stakes, subject)
    held = stakes.get(subject, {})
    share = sum((s.share or Decimal(0) for o, s in held.items() if o in reasons), Decimal(0))
    if subject in listed_set:
        return Determination(
            subject, rule, True, None, ((f"{graph.label(subject)} (listed)",),), flags
        )
    applies = subject in reasons
    paths = tuple(_paths(subject, reasons, graph, frozenset())) if applies else ()
    return Determination(subject, rule, applies, share if held else None, paths, flags)


def ofac_50(graph: OwnershipGraph, listed: Iterable[str], subject: str) -> Determination:
    """OFAC 50 Percent Rule: blocked persons' aggregate direct and indirect stake ≥ 50%."""
    return _rule(graph, listed, subject, "OFAC 50% rule", control=False)


def eu_50_or_control(graph: OwnershipGraph, listed: Iterable[str], subject: str) -> Determination:
    """EU test: listed persons own 50% or more in aggregate, or control the subject."""
    return _rule(graph, listed, subject, "EU 50%-or-control", control=True)


def fund_any_owner(graph: OwnershipGraph, listed: Iterable[str], subject: str) -> Determination:
    """The fund's flag: any listed owner or controller anywhere up the chain (or an
    unidentified owner) → review."""
    stakes = graph.stakes_into()
    listed_set = frozenset(listed)
    via = _upstream(stakes, subject)
    flags = _flags(graph, stakes, subject)
    paths: list[tuple[str, ...]] = []
    for owner in sorted(n for n in via if n in listed_set):
        steps: list[str] = [f"{graph.label(owner)} (listed)"]
        node = owner
        while node != subject:
            stake = via[node]
            steps.extend([stake.describe(), graph.label(stake.asset)])
            node = stake.asset
        paths.append(tuple(steps))
    applies = bool(paths) or UNKNOWN_OWNER in flags
    return Determination(
        subject, "fund any-listed-owner policy", applies, None, tuple(paths), flags
    )
