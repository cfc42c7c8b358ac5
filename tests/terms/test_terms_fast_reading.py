"""Shipped term files are read through libyaml first; the result equals the full parse."""

from __future__ import annotations

import pytest

from urif.core.errors import InvalidInput
from urif.terms import loader
from urif.terms.loader import _parse, _read_shipped, _shipped_names, shipped_base


@pytest.mark.parametrize("version", _shipped_names())
def test_every_shipped_file_gives_the_same_term_set_both_ways(version: str) -> None:
    text, name = _read_shipped(version)
    fast = _parse(text, name, shipped_base, fast=True)
    full = _parse(text, name, shipped_base)
    assert fast == full
    assert fast.version == version


def test_the_shipped_sets_load_without_the_round_trip_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_: object) -> object:
        raise AssertionError("the round-trip parser was used for a valid shipped file")

    monkeypatch.setattr(loader, "_yaml", refuse)
    loader.load_termset.cache_clear()
    try:
        for version in _shipped_names():
            assert loader.load_termset(version).version == version
    finally:
        loader.load_termset.cache_clear()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("version: x\nversion: y\n", "line"),  # a duplicate key: libyaml would keep the last
        ("version: [unclosed\n", "expected valid YAML"),
        ("version: signed-2025-04-30\nkind: banana\n", "line"),
        ("version: signed-2025-04-30\neffective_from: 2025-02-30\n", "not"),  # no such day
    ],
)
def test_a_file_the_fast_reading_refuses_is_reported_by_the_full_parse(
    text: str, expected: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        _parse(text, "broken.yaml", shipped_base, fast=True)
    shown = str(raised.value) + " ".join(p.where + " " + p.message for p in raised.value.problems)
    assert expected in shown
    assert "broken.yaml line" in shown
