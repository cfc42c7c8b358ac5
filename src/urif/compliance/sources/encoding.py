"""Bytes to text for list files that come "as they came": UTF-8, Latin-1, or a mix.

Owns ``decode``: UTF-8 with a byte-order mark stripped; a line that is not UTF-8 is read
as Windows-1252 (a superset of printable Latin-1), so a stray Latin-1 byte never crashes a
parser; a trailing DOS end-of-file mark (Ctrl-Z, as in OFAC's legacy files) is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

_EOF_MARK = b"\x1a"


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text of a file, and the 1-based numbers of lines that were not UTF-8."""

    text: str
    latin1_lines: tuple[int, ...] = ()


def _line_decode(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def decode(data: bytes) -> DecodedText:
    """Decode a list file, line by line falling back to Windows-1252/Latin-1.

    >>> decode(b"CAF\\xc9,1\\r\\n\\x1a").text
    'CAFÉ,1\\r\\n'
    >>> decode("ЗАЛА".encode()).text
    'ЗАЛА'
    >>> decode(b"a\\nb\\xe9\\n").latin1_lines
    (2,)
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    stripped = data.rstrip(b"\r\n \t")
    if stripped.endswith(_EOF_MARK):
        data = data[: len(stripped) - 1]
    try:
        return DecodedText(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    bad: list[int] = []
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(_line_decode(raw))
            bad.append(number)
    return DecodedText("".join(out), tuple(bad))
