"""Faster construction of frozen, slotted dataclasses on the hot paths.

Owns ``fast_init``: a class decorator, applied over ``@dataclass(frozen=True, slots=True)``,
that replaces the generated ``__init__`` with one of the same signature that sets each
field through its slot descriptor.  The frozen dataclass's own ``__init__`` only assigns,
but through ``object.__setattr__`` with the field's name, about twice as slow; the instance
built is the same (same fields, same ``__post_init__`` call, still frozen afterwards).
Used on the values the books make several of per event (postings, journal entries,
bookings).
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar

_T = TypeVar("_T")


def fast_init(cls: type[_T]) -> type[_T]:
    """Give frozen, slotted dataclass ``cls`` an ``__init__`` that sets its slots directly.

    Fields with ``init=False``, ``default_factory``, ``InitVar`` or keyword-only fields are
    not supported (``TypeError``): the decorated classes have none.

    >>> @fast_init
    ... @dataclasses.dataclass(frozen=True, slots=True)
    ... class Pair:
    ...     left: int
    ...     right: int = 2
    >>> Pair(1), Pair(1, right=3) == Pair(1, 3)
    (Pair(left=1, right=2), True)
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"fast_init: {cls.__name__} is not a frozen, slotted dataclass")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    # An InitVar or keyword-only field would make the signatures differ.
    expected = list(inspect.signature(cls.__init__).parameters)[1:]
    if expected != [field.name for field in fields]:
        raise TypeError(f"fast_init: {cls.__name__}.__init__ takes more than its fields")
    env: dict[str, Any] = {}
    arguments: list[str] = []
    body: list[str] = []
    for index, field in enumerate(fields):
        if (
            not field.init
            or field.kw_only
            or field.default_factory is not dataclasses.MISSING
            or field.name in ("self", "cls")
        ):
            raise TypeError(f"fast_init: field {cls.__name__}.{field.name} is not supported")
        if field.default is dataclasses.MISSING:
            arguments.append(field.name)
        else:
            env[f"_d{index}"] = field.default
            arguments.append(f"{field.name}=_d{index}")
        env[f"_s{index}"] = getattr(cls, field.name).__set__
        body.append(f"_s{index}(self, {field.name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(arguments)}):\n" + "".join(
        f"    {line}\n" for line in body or ["pass"]
    )
    exec(compile(source, f"<fast_init {cls.__qualname__}>", "exec"), env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    init.__annotations__ = dict(cls.__init__.__annotations__)
    setattr(cls, "__init__", init)  # noqa: B010 - assigning a method mypy would refuse
    return cls
