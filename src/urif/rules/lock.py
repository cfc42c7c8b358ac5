"""The reinvestment lock: no distribution before the lock ends.

Owns the ten-year rule (all income reinvested in Ukraine for the first ten years): the
first day a distribution may carry as value date is ``reinvestment_lock_start`` plus
``reinvestment_lock_years`` (``Terms.lock_end``; default 2025-05-23 + 10 → 2035-05-23).
"""

from __future__ import annotations

import datetime as dt

from urif.core.dates import add_years
from urif.core.errors import NotPermitted


def lock_end(lock_start: dt.date, lock_years: int) -> dt.date:
    """First day a distribution may have as value date.

    >>> lock_end(dt.date(2025, 5, 23), 10)
    datetime.date(2035, 5, 23)
    """
    return add_years(lock_start, lock_years)


def distribution_allowed_on(on: dt.date, lock_start: dt.date, lock_years: int) -> bool:
    """Whether a distribution dated ``on`` is outside the reinvestment lock.

    >>> distribution_allowed_on(dt.date(2035, 5, 22), dt.date(2025, 5, 23), 10)
    False
    >>> distribution_allowed_on(dt.date(2035, 5, 23), dt.date(2025, 5, 23), 10)
    True
    """
    return on >= lock_end(lock_start, lock_years)


def check_distribution_date(on: dt.date, lock_start: dt.date, lock_years: int) -> None:
    """Raise ``NotPermitted`` when a distribution dated ``on`` falls inside the lock.

    >>> check_distribution_date(dt.date(2030, 1, 1), dt.date(2025, 5, 23), 10)
    Traceback (most recent call last):
    ...
    urif.core.errors.NotPermitted: distribution dated 2030-01-01 is inside the reinvestment lock: all income is reinvested until 2035-05-23 (lock start 2025-05-23 + 10 years)
    """
    end = lock_end(lock_start, lock_years)
    if on < end:
        raise NotPermitted(
            f"distribution dated {on} is inside the reinvestment lock: all income is "
            f"reinvested until {end} (lock start {lock_start} + {lock_years} years)"
        )
