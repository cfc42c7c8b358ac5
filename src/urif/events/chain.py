"""The hash link of the event log: ``hash = sha256(prev_hash ‖ canonical bytes)``.

Owns ``GENESIS_HASH`` (the ``prev_hash`` of ``seq`` 1) and ``chain_hash``.  The store
assigns the links; ``verify`` recomputes them from the stored canonical bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Final

#: The ``prev_hash`` of the first event: 64 zeros.
GENESIS_HASH: Final = "0" * 64


def chain_hash(prev_hash_hex: str, canonical: bytes) -> str:
    """sha256 of the previous hash's 32 bytes followed by the canonical bytes, as hex.

    >>> chain_hash(GENESIS_HASH, b"{}")[:16]
    'fb1634c4e6cd4b1f'
    """
    return hashlib.sha256(bytes.fromhex(prev_hash_hex) + canonical).hexdigest()


def chain_hashes(prev_hash_hex: str, canonicals: Iterable[bytes]) -> list[str]:
    """The hashes of consecutive canonical byte strings chained after ``prev_hash_hex``."""
    sha256 = hashlib.sha256
    out: list[str] = []
    prev = bytes.fromhex(prev_hash_hex)
    for canonical in canonicals:
        digest = sha256(prev + canonical).digest()
        out.append(digest.hex())
        prev = digest
    return out
