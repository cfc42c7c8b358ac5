"""The error tree: categories, messages and whole-file problems."""

from __future__ import annotations

import pytest

from urif.core.errors import (
    Blocked,
    Conflict,
    IntegrityError,
    InvalidInput,
    NotFound,
    NotPermitted,
    Problem,
    UrifError,
)


@pytest.mark.parametrize(
    "category", [InvalidInput, NotFound, Conflict, NotPermitted, Blocked, IntegrityError]
)
def test_every_category_is_a_urif_error(category: type[UrifError]) -> None:
    error = category("what happened")
    assert isinstance(error, UrifError)
    assert str(error) == "what happened"
    assert error.problems == ()


def test_blocked_is_a_refusal() -> None:
    assert issubclass(Blocked, NotPermitted)
    assert not issubclass(NotFound, InvalidInput)


def test_problems_print_one_per_line_after_the_message() -> None:
    error = InvalidInput(
        "events.jsonl: 2 problems",
        problems=(Problem("line 3", "unknown field 'amout'"), Problem("", "empty file")),
    )
    assert str(error) == "events.jsonl: 2 problems\n  line 3: unknown field 'amout'\n  empty file"
    assert error.message == "events.jsonl: 2 problems"
    assert len(error.problems) == 2


def test_problem_is_a_frozen_value() -> None:
    problem = Problem("line 1", "bad")
    assert problem == Problem("line 1", "bad")
    with pytest.raises(AttributeError):
        problem.where = "line 2"  # type: ignore[misc]
