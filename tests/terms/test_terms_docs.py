"""docs/terms.md is generated from the term files and must not go stale."""

from __future__ import annotations

from pathlib import Path

from urif.terms.catalogue import SPECS
from urif.terms.docs import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "terms.md"


def test_docs_terms_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/terms.md is stale: run `make docs` (python -m urif.terms.docs > docs/terms.md)"
    )


def test_docs_name_every_parameter_and_every_set() -> None:
    text = render()
    for spec in SPECS:
        assert f"### `{spec.path}`" in text
    for version in (
        "signed-2025-04-30",
        "us-draft-2025-03",
        "framework-2025-02",
        "us-draft-2025-02",
    ):
        assert f"`{version}`" in text
    assert "| reported |" in text
    assert "| disputed |" in text
