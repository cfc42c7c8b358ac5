"""Fixtures for the scenario and end-to-end tests (``urif_cli`` lives in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

Cli = Callable[..., tuple[int, str, str]]
