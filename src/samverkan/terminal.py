"""Print to the terminal safely: names from input are data, never terminal commands.

A name holding ``ESC]0;…BEL`` would set the terminal's title, ``ESC[2J`` would clear the
screen. Every text samverkan prints goes through :func:`escape`, which shows control
characters (C0, DEL, C1, and the bidirectional overrides that reorder what is shown) as
visible escapes such as ``\\x1b`` and ``\\u202e``; line breaks and tabs stay.
"""

from __future__ import annotations

import re

__all__ = ["echo", "escape"]

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every control character shown as an escape; newlines and tabs kept.

    >>> escape("Örebro\\x1b]0;pwned\\x07 kommun")
    'Örebro\\\\x1b]0;pwned\\\\x07 kommun'
    >>> escape("två\\nrader\\tflik")
    'två\\nrader\\tflik'
    """
    return _CONTROL.sub(_visible, str(text))


def echo(text: str, *, err: bool = False) -> None:
    """:func:`click.echo` of :func:`escape` (text)."""
    import click

    click.echo(escape(text), err=err)
