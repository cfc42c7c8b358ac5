"""Bodies and seats: who sits on the board and each committee, for which side.

Owns ``Seat`` (one member on one body) and the appointment and removal checks against
the seats of the terms in force on the date: a body the terms do not have, a side whose
seats are full, a member already seated for the other side, or a member appointed twice
to one body is refused with the reason.  A member may sit on several bodies for one side.
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


def check_appointment(seated: Mapping[tuple[str, str], Seat], seat: Seat, terms: Terms) -> None:
    """Refuse an appointment that breaks the seats of the terms or the two-side split."""
    seats = seats_of(terms, seat.body)
    where = f"member {seat.member} ({seat.name}) to {seat.body} for {seat.side}"
    if (seat.member, seat.body) in seated:
        held = seated[(seat.member, seat.body)]
        raise Conflict(
            f"{where}: already seated on {seat.body} since {held.appointed_on} "
            f"(event {held.appointed_by_event}); remove first"
        )
    for other in seated.values():
        if other.member == seat.member and other.side != seat.side:
            raise NotPermitted(
                f"{where}: a member sits for one side only; {seat.member} already sits on "
                f"{other.body} for {other.side}"
            )
    taken = sum(1 for s in seated.values() if s.body == seat.body and s.side == seat.side)
    allowed = side_seats(seats, seat.side)
    if taken + 1 > allowed:
        raise NotPermitted(
            f"{where}: seat ratio broken: terms {terms.version} give {seat.body} "
            f"{seats.us} US : {seats.ua} UA seats, and {seat.side} already holds {taken}"
        )


def check_removal(seated: Mapping[tuple[str, str], Seat], member: str, body: str) -> Seat:
    """The seat ``member`` holds on ``body``, or InvalidInput when there is none."""
    seat = seated.get((member, body))
    if seat is None:
        bodies = sorted(s.body for s in seated.values() if s.member == member)
        held = f"; {member} sits on {', '.join(bodies)}" if bodies else ""
        raise InvalidInput(f"member_removed: {member} holds no seat on {body}{held}")
    return seat


def electorate(seated: Mapping[tuple[str, str], Seat], body: str) -> dict[str, str]:
    """Members seated on ``body`` now, member → side."""
    return {s.member: s.side for s in seated.values() if s.body == body}
