"""``fast_init``: the same instances as the frozen dataclass's own ``__init__``."""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal

import pytest

from urif.core.slots import fast_init


@fast_init
@dataclasses.dataclass(frozen=True, slots=True)
class _Entry:
    account: str
    amount: Decimal
    note: str = "-"

    def __post_init__(self) -> None:
        if self.amount == 0:
            raise ValueError("amount: expected a nonzero amount")


@dataclasses.dataclass(frozen=True, slots=True)
class _Plain:
    account: str
    amount: Decimal
    note: str = "-"


def test_fields_defaults_and_keywords_are_set_as_the_dataclass_sets_them() -> None:
    for args, kwargs in (
        (("cash", Decimal("1.50")), {}),
        (("cash",), {"amount": Decimal(2), "note": "x"}),
    ):
        got, want = _Entry(*args, **kwargs), _Plain(*args, **kwargs)
        assert dataclasses.astuple(got) == dataclasses.astuple(want)
    with pytest.raises(TypeError):
        _Entry("cash")  # type: ignore[call-arg]  # a required field is still required
    with pytest.raises(TypeError):
        _Entry("cash", Decimal(1), "n", "extra")  # type: ignore[call-arg]


def test_post_init_runs_and_instances_stay_frozen_picklable_and_replaceable() -> None:
    with pytest.raises(ValueError, match="nonzero"):
        _Entry("cash", Decimal(0))
    entry = _Entry("cash", Decimal(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.amount = Decimal(2)  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(entry)) == entry
    assert dataclasses.replace(entry, note="y") == _Entry("cash", Decimal(1), "y")
    assert hash(entry) == hash(_Entry("cash", Decimal(1)))


def test_classes_it_cannot_rebuild_are_refused() -> None:
    @dataclasses.dataclass(slots=True)
    class Mutable:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Factory:
        x: list[int] = dataclasses.field(default_factory=list)

    for cls in (Mutable, Factory):
        with pytest.raises(TypeError, match="fast_init"):
            fast_init(cls)
