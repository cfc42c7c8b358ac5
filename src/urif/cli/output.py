"""Output of the CLI: strict JSON on stdout, Rich for people on stderr/stdout."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

from urif.reports.jsonable import to_jsonable

#: Messages, progress bars and warnings go to stderr so ``--json`` stdout stays clean.
err_console = Console(stderr=True)
out_console = Console()


def print_json(value: Any) -> None:
    """Write ``value`` to stdout as strict JSON (no NaN), one document, newline-terminated."""
    sys.stdout.write(json.dumps(to_jsonable(value), allow_nan=False, ensure_ascii=False, indent=2))
    sys.stdout.write("\n")
    sys.stdout.flush()


def print_json_line(value: Any) -> None:
    """Write ``value`` as one compact JSON line (for JSON Lines output)."""
    sys.stdout.write(json.dumps(to_jsonable(value), allow_nan=False, ensure_ascii=False))
    sys.stdout.write("\n")
    sys.stdout.flush()
