"""Fixtures for the scenario and end-to-end tests: run the real ``urif`` entry point.

``urif_cli(*args)`` calls ``urif.cli.main.run`` in-process with ``sys.argv`` set, exactly as
the console script does, and returns ``(exit_code, stdout, stderr)``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def urif_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run ``urif ARGS...`` through the real main; returns (exit code, stdout, stderr)."""
    from urif.cli.main import run

    def invoke(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["urif", *args])
        code = 0
        try:
            run()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke
