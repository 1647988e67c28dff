"""One page kit: every HTML page samverkan writes (report, network and two-mode views, efforts
page, comparison) renders through :func:`render_page`.

- Jinja2 with autoescape: text from the data is escaped wherever a template prints it; only our
  own code (CSS, JavaScript) and HTML built by our escaping helpers enter as :class:`Markup`.
- One base template (``templates/base.html``) that always sets the Content-Security-Policy (every
  inline script allowed by its SHA-256 hash, no network request of any kind) and the print
  stylesheet, with the shared CSS (``kit.css``, ``print.css``) and the shared script (``kit.js``:
  sortable tables and filters).
- One way to embed data: :func:`json_for_script`, JSON in ``<script type="application/json">``
  with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so no value can end the element.
- One writer: :meth:`Page.write` goes through :func:`samverkan.io.output.atomic_write_text`.

A page returns the code of its scripts (:attr:`Page.scripts`), so a page that embeds it in an
``<iframe srcdoc>`` (the report embeds the network view) allows them by hash without reading the
file back or parsing HTML.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache, cache
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from .embed import json_for_script

__all__ = ["Page", "render_page", "content_security_policy", "asset", "vis_network", "json_for_script", "Markup", "VIS_NETWORK_VERSION"]

VIS_NETWORK_VERSION = "9.1.2"  # vendored in views/assets/vendor with its licence


@cache
def asset(name: str) -> str:
    """The text of a file in ``samverkan/views/assets`` (our own CSS and scripts, and the vendored library)."""
    return resources.files("samverkan.views").joinpath("assets").joinpath(*name.split("/")).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def vis_network() -> tuple[str, str]:
    """The vendored vis-network script and stylesheet (pinned, unchanged; see the licence file next to them)."""
    js = asset(f"vendor/vis-network-{VIS_NETWORK_VERSION}.min.js")
    css = asset(f"vendor/vis-network-{VIS_NETWORK_VERSION}.css")
    _check_script(js)
    _check_style(css)
    return js, css


def _check_script(code: str) -> str:
    if re.search(r"</script|<!--", code, re.IGNORECASE):
        raise ValueError("inline script holds '</script' or '<!--'")
    return code


def _check_style(css: str) -> str:
    if re.search(r"</style", css, re.IGNORECASE):
        raise ValueError("inline style holds '</style'")
    return css


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(scripts, *, frames: bool = False) -> str:
    """A CSP allowing exactly the given inline scripts and no network access of any kind.

    Inline styles are allowed (heat maps and vis-network colour with ``style=``); images and fonts
    only as ``data:``; inline event handlers are refused; frames only as ``srcdoc`` when `frames`.
    """
    hashes = " ".join(sorted({_sha256(code) for code in scripts})) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data: blob:; "
        "font-src data:; " + ("frame-src 'self' about: data:; " if frames else "") + "base-uri 'none'; form-action 'none'"
    )


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=PackageLoader("samverkan.views", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,  # a missing value fails loudly instead of printing nothing
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Page:
    """A rendered page and the code of its inline scripts (for a host page's CSP)."""

    html: str
    scripts: tuple[str, ...] = field(default=())

    def write(self, path) -> Path:
        from ..io.output import atomic_write_text

        return atomic_write_text(Path(path), self.html)


def render_page(template: str, *, lang: str, title: str, scripts=(), styles=(), data: dict | None = None, frame_scripts=(), body_attributes: dict | None = None, **context) -> Page:
    """Render `template` (which extends ``base.html``) into a :class:`Page`.

    Parameters
    ----------
    template : str
        A file in ``samverkan/views/templates``.
    lang : {"sv", "en"}
    title : str
        The page title (escaped).
    scripts : sequence of str
        Our own inline scripts, after the shared ``kit.js``; each is allowed by its hash.
    styles : sequence of str
        Our own stylesheets, after the shared ``kit.css`` (the print stylesheet comes last).
    data : dict, optional
        ``{element id: data}``, each embedded with :func:`json_for_script`.
    frame_scripts : sequence of str
        Scripts of pages embedded with ``<iframe srcdoc>`` (they inherit this page's CSP).
    body_attributes : dict, optional
        Attributes of ``<body>`` (escaped).
    **context
        The template's own values; HTML built by our helpers must be passed as :class:`Markup`.
    """
    from .. import __version__

    codes = tuple(_check_script(code) for code in (asset("kit.js"), *scripts))
    csp = content_security_policy([*codes, *frame_scripts], frames=bool(frame_scripts))
    if any(c in csp for c in '"<>&'):  # pragma: no cover - base64 hashes and CSP keywords only
        raise ValueError("unexpected character in the Content-Security-Policy")
    html = (
        _environment()
        .get_template(template)
        .render(
            lang=lang,
            title=title,
            csp=Markup(csp),  # hashes and keywords only (checked below): written as browsers and tests read it
            version=__version__,
            kit_css=Markup(_check_style(asset("kit.css"))),
            styles=[Markup(_check_style(css)) for css in styles],
            print_css=Markup(_check_style(asset("print.css"))),
            data=[(key, Markup(json_for_script(value))) for key, value in (data or {}).items()],
            scripts=[Markup(code) for code in codes],
            body_attributes=body_attributes or {},
            **context,
        )
    )
    return Page(html, codes)
