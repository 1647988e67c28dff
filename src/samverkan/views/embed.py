"""Putting untrusted data and inlined libraries into one self-contained HTML file, safely.

Every view page is built from a template in ``views/assets`` whose ``{{slots}}`` are filled in a
single pass, so text inserted into one slot is never scanned for another. Data goes in as JSON
inside ``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped,
so no name can close the script element or open a comment. Text that lands in HTML goes through
:func:`html.escape`. Scripts are allowed by hash in a Content-Security-Policy that also forbids
every network request, so even a mistake elsewhere cannot load anything or run an inline handler.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
from functools import lru_cache
from importlib import resources
from numbers import Integral, Real
from pathlib import Path

__all__ = [
    "json_for_script",
    "plain",
    "read_asset",
    "vis_network_assets",
    "script_element",
    "style_element",
    "content_security_policy",
    "fill_template",
    "write_text_atomic",
    "write_bytes_atomic",
]

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def plain(value):
    """Turn a value into something :func:`json.dumps` accepts, deterministically.

    numpy scalars become Python numbers, NaN and infinities become ``None``, floats are rounded to
    6 decimals, tuples and sets become lists (sets sorted), mapping keys become strings.

    Examples
    --------
    >>> plain({"a": float("nan"), "b": (1, 2.0000001), "c": {"y", "x"}})
    {'a': None, 'b': [1, 2.0], 'c': ['x', 'y']}
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, 6)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar of another kind (e.g. numpy.bool_)
        return plain(value.item())
    return str(value)


def json_for_script(data) -> str:
    """Serialise `data` as JSON that is safe inside an HTML ``<script>`` element.

    Parameters
    ----------
    data : object
        JSON-able data (passed through :func:`plain` first).

    Returns
    -------
    str
        Compact JSON (UTF-8 text kept) in which ``<``, ``>``, ``&``, U+2028 and U+2029 are written
        as ``\\uXXXX`` escapes. These characters only occur inside JSON strings, where the escapes
        mean the same thing, so ``JSON.parse`` gives back the original data.

    Examples
    --------
    >>> json_for_script({"name": "</script><!--"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(plain(data), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group(0)], text)


def read_asset(name: str) -> str:
    """The text of a file in ``samverkan/views/assets`` (our own templates, CSS and scripts)."""
    return resources.files("samverkan.views").joinpath("assets").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def vis_network_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, read from the copy bundled with the installed pyvis.

    Returns
    -------
    (str, str)
        The minified script and the stylesheet.

    Raises
    ------
    RuntimeError
        When pyvis (or its bundled vis-network) is not installed, or when the library text holds a
        sequence that would end the inline element early.
    """
    try:
        lib = resources.files("pyvis").joinpath("templates").joinpath("lib")
    except ModuleNotFoundError as exc:  # pragma: no cover - pyvis is a dependency
        raise RuntimeError("The network views need pyvis (pip install pyvis): it ships vis-network.") from exc
    candidates = sorted(
        (p for p in lib.iterdir() if p.name.startswith("vis-") and p.joinpath("vis-network.min.js").is_file()),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.name)),
    )
    if not candidates:  # pragma: no cover
        raise RuntimeError(f"No vis-network copy found in {lib}; reinstall pyvis.")
    folder = candidates[-1]
    js = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = folder.joinpath("vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    if "<!--" in js or re.search(r"</style", css, re.IGNORECASE):
        raise RuntimeError(f"{folder} cannot be inlined safely (holds '<!--' or '</style').")
    return js, css


def script_element(code: str) -> str:
    """An inline ``<script>`` element; `code` must come from us, never from user data."""
    if re.search(r"</script|<!--", code, re.IGNORECASE):
        raise ValueError("inline script holds '</script' or '<!--'")
    return f"<script>{code}</script>"


def style_element(css: str) -> str:
    """An inline ``<style>`` element; `css` must come from us, never from user data."""
    if re.search(r"</style", css, re.IGNORECASE):
        raise ValueError("inline style holds '</style'")
    return f"<style>{css}</style>"


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(*scripts: str) -> str:
    """A CSP that allows exactly the given inline scripts and no network access at all.

    Styles may be inline (vis-network and our templates use them); images only as ``data:``.
    Inline event handlers (``onerror=`` and the like) are refused even if one were injected.
    """
    hashes = " ".join(_sha256(code) for code in scripts)
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; "
        "font-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


_SLOT_RE = re.compile(r"\{\{(\w+)\}\}")


def fill_template(template: str, values: dict[str, str]) -> str:
    """Fill ``{{slot}}`` markers in one pass; a slot without a value raises :class:`KeyError`.

    Examples
    --------
    >>> fill_template("<h1>{{a}}</h1>{{b}}", {"a": "{{b}}", "b": "x"})
    '<h1>{{b}}</h1>x'
    """
    return _SLOT_RE.sub(lambda m: values[m.group(1)], template)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` atomically: :func:`samverkan.io.output.atomic_write_bytes` (the one writer)."""
    from ..io.output import atomic_write_bytes

    return atomic_write_bytes(Path(path), data)


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write `text` as UTF-8 (``\\n`` line ends on every platform) with :func:`write_bytes_atomic`."""
    return write_bytes_atomic(path, text.encode("utf-8"))
