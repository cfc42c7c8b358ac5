"""Checks on the source of a function, for tests that tie a lookup table to the code it
short-cuts."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable


def isinstance_classes(function: Callable[..., object]) -> set[str]:
    """The names of the classes ``function`` tests values against with ``isinstance``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return {
        node.args[1].id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "isinstance"
        and isinstance(node.args[1], ast.Name)
    }
