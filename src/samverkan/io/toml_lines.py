"""Where each section and key of a TOML file is written, so problems can name the line.

Python's ``tomllib`` gives values but no positions; mapping files and comparison configs both
report problems as ``FILE:LINE: key``, so both use this small line scanner.
"""

from __future__ import annotations

import re

__all__ = ["toml_key_lines"]

_SECTION_LINE = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")
_ARRAY_LINE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_KEY_LINE = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=""")


def toml_key_lines(text: str) -> dict[str, int]:
    """``section``, ``section.key`` and ``packages[i].key`` → the line (from 1) where each is written."""
    lines: dict[str, int] = {}
    section = ""
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        array = _ARRAY_LINE.match(line)
        header = _SECTION_LINE.match(line)
        if array:
            name = array.group(1).strip()
            index = counts.get(name, 0)
            counts[name] = index + 1
            section = f"{name}[{index + 1}]"
            lines.setdefault(name, number)
            lines.setdefault(section, number)
            continue
        if header:
            section = header.group(1).strip().strip("\"'")
            lines.setdefault(section, number)
            continue
        key = _KEY_LINE.match(line)
        if key:
            name = key.group(1)
            if name[:1] in "\"'":
                name = name[1:-1]
            lines.setdefault(f"{section}.{name}" if section else name, number)
    return lines
