"""Bodies and seats: who sits on the board and each committee, for which side.

Owns ``Seat`` (one member on one body) and the appointment and removal checks against
the seats of the terms in force on the date: a body the terms do not have, a side whose
seats are full, a member already seated for the other side, or a member appointed twice
to one body is refused with the reason.  A member may sit on several bodies for one side.
Seats are kept as dated changes (``SeatChange``), so who sat where is known on any value
date, whatever order the appointments and removals were recorded in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from urif.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from urif.terms.model import Seats, Terms

SIDES: tuple[str, ...] = ("us", "ua")


@dataclass(frozen=True, slots=True)
class Seat:
    """One member holding a seat on one body for one side."""

    member: str
    name: str
    side: str
    body: str
    appointed_on: dt.date
    appointed_by_event: str
    illustrative: bool = False


def seats_of(terms: Terms, body: str) -> Seats:
    """Seats of ``body`` under ``terms``, or NotPermitted naming the bodies that exist."""
    try:
        return terms.committee(body)
    except NotFound as error:
        raise NotPermitted(f"wrong body: {error.message}") from None


def side_seats(seats: Seats, side: str) -> int:
    """Seats of ``side`` (``us`` or ``ua``) in ``seats``.

    >>> side_seats(Seats(us=3, ua=2), "ua")
    2
    """
    if side == "us":
        return seats.us
    if side == "ua":
        return seats.ua
    raise InvalidInput(f"side: expected us or ua, got {side!r}")


@dataclass(frozen=True, slots=True)
class SeatChange:
    """One appointment (``seated``) or removal of a member on a body, by value date."""

    on: dt.date
    seated: bool
    seat: Seat
    event: str


#: Seat changes per (member, body), sorted by value date (same day: recording order).
SeatHistory = Mapping[tuple[str, str], tuple[SeatChange, ...]]


def change_on(changes: tuple[SeatChange, ...], day: dt.date) -> SeatChange | None:
    """The latest change dated on or before ``day`` (same day: the last recorded), or None."""
    found: SeatChange | None = None
    for change in changes:
        if change.on > day:
            break
        found = change
    return found


def seat_on(history: SeatHistory, member: str, body: str, day: dt.date) -> Seat | None:
    """The seat ``member`` holds on ``body`` on ``day``, or None."""
    change = change_on(history.get((member, body), ()), day)
    return change.seat if change is not None and change.seated else None


def with_change(changes: tuple[SeatChange, ...], change: SeatChange) -> tuple[SeatChange, ...]:
    """``changes`` with ``change`` inserted after every change dated on or before it."""
    index = len(changes)
    while index and changes[index - 1].on > change.on:
        index -= 1
    return (*changes[:index], change, *changes[index:])


def _held(changes: tuple[SeatChange, ...], body: str, day: dt.date) -> str:
    """How a seat on ``body`` stood on ``day``, for messages (the member is not seated)."""
    appointed = [c.on for c in changes if c.seated]
    removed = [c.on for c in changes if not c.seated and c.on <= day]
    if removed:
        return f"no longer holds a seat on {body} on {day} (removed on {max(removed)})"
    if appointed and min(appointed) > day:
        return f"was not yet seated on {body} on {day} (appointed on {min(appointed)})"
    return f"holds no seat on {body} on {day}"


def check_appointment(history: SeatHistory, seat: Seat, terms: Terms) -> None:
    """Refuse an appointment that breaks the seats of the terms on its date or later."""
    # A late-recorded appointment holds the seat from its own date on, so the ratio is
    # checked on that date and on every later date another member of the side joined.
    seats = seats_of(terms, seat.body)
    where = f"member {seat.member} ({seat.name}) to {seat.body} for {seat.side}"
    day = seat.appointed_on
    changes = history.get((seat.member, seat.body), ())
    now = change_on(changes, day)
    if now is not None and now.seated:
        raise Conflict(
            f"{where}: already seated on {seat.body} since {now.on} "
            f"(event {now.event}); remove first"
        )
    later = [c for c in changes if c.on > day]
    if later:
        raise Conflict(
            f"{where} on {day}: a later change of this seat is already recorded "
            f"({'appointment' if later[0].seated else 'removal'} on {later[0].on}, event "
            f"{later[0].event}); a seat's changes must follow one another in date order"
        )
    allowed = side_seats(seats, seat.side)
    same_side = [
        c
        for key, cs in history.items()
        if key[1] == seat.body and key[0] != seat.member
        for c in cs
        if c.seat.side == seat.side
    ]
    for check_day in sorted({day, *(c.on for c in same_side if c.on > day and c.seated)}):
        taken = sum(
            1
            for key, cs in history.items()
            if key[1] == seat.body
            and key[0] != seat.member
            and (held := change_on(cs, check_day)) is not None
            and held.seated
            and held.seat.side == seat.side
        )
        if taken + 1 > allowed:
            raise NotPermitted(
                f"{where}: seat ratio broken on {check_day}: terms {terms.version} give "
                f"{seat.body} {seats.us} US : {seats.ua} UA seats, and {seat.side} already "
                f"holds {taken}"
            )


def check_removal(history: SeatHistory, member: str, body: str, day: dt.date) -> Seat:
    """The seat ``member`` holds on ``body`` on ``day``; InvalidInput or Conflict otherwise."""
    changes = history.get((member, body), ())
    seat = seat_on(history, member, body, day)
    if seat is None:
        bodies = sorted(
            b for (m, b) in history if m == member and seat_on(history, m, b, day) is not None
        )
        held = f"; {member} sits on {', '.join(bodies)}" if bodies else ""
        raise InvalidInput(f"member_removed: {member} {_held(changes, body, day)}{held}")
    later = [c for c in changes if c.on > day]
    if later:
        raise Conflict(
            f"member_removed: {member} on {body} on {day}: a later change of this seat is "
            f"already recorded ({'appointment' if later[0].seated else 'removal'} on "
            f"{later[0].on}, event {later[0].event}); a seat's changes must follow one "
            f"another in date order"
        )
    return seat


def not_seated(history: SeatHistory, member: str, body: str, day: dt.date) -> str:
    """Why ``member`` cannot act on ``body`` on ``day`` (for a refusal message)."""
    return _held(history.get((member, body), ()), body, day)


def electorate(history: SeatHistory, body: str, day: dt.date) -> dict[str, str]:
    """Members seated on ``body`` on ``day``, member → side."""
    out: dict[str, str] = {}
    for (member, b), changes in history.items():
        if b == body:
            change = change_on(changes, day)
            if change is not None and change.seated:
                out[member] = change.seat.side
    return out


def change_days(history: SeatHistory, body: str) -> set[dt.date]:
    """Every date a seat on ``body`` changed."""
    return {c.on for (_, b), cs in history.items() if b == body for c in cs}
