"""The "Tänk om … lämnar" / "What if … leaves" control of network.html (issue 15).

A list of checkboxes, one per organisation shown (names escaped, sorted as people read them); ticking
one hides it in the network and the line under the list says how many organisations are left, in how
many parts the network falls and how large the largest part is (one sentence of its own when it is
all one part: never "in 1 parts"). The counting is
``assets/whatif.js`` (union–find, the same figures as :func:`samverkan.whatif.network_facts` on the
organisations shown); ``assets/whatif_control.js`` wires it to the page. Nothing is sent anywhere.
Only the organisation view has it (a two-mode view mixes projects into the parts).
"""

from __future__ import annotations

import html

from ..text.catalogue import KEY_PLAYER_TEXTS
from ..text.format import sort_key
from .kit import asset

__all__ = ["whatif_control_html", "whatif_scripts", "whatif_style"]


def whatif_control_html(view, lang: str, *, mode: str = "organisations") -> str:
    """The control's HTML, or "" for a two-mode view or an empty network."""
    if mode == "two_mode":
        return ""
    nodes = [n for n in view.get("nodes", []) if n.get("kind", "organisation") != "project"]
    if not nodes:
        return ""
    T = KEY_PLAYER_TEXTS[lang]
    esc = html.escape
    boxes = []
    for n in sorted(nodes, key=lambda n: (sort_key(str(n.get("name") or n["id"])), str(n["id"]))):
        boxes.append(f'<li><label><input type="checkbox" value="{esc(str(n["id"]), quote=True)}"> {esc(str(n.get("name") or n["id"]))}</label></li>')
    return (
        f'<section class="whatif-control" id="whatif" data-lang="{esc(lang, quote=True)}" '
        f'data-summary="{esc(T["wc_summary"], quote=True)}" data-none="{esc(T["wc_none"], quote=True)}" '
        f'data-summary-one="{esc(T["wc_summary_one"], quote=True)}" data-none-one="{esc(T["wc_none_one"], quote=True)}">'
        f"<details><summary>{esc(T['wc_label'])}</summary>"
        f'<p class="small">{esc(T["wc_help"])}</p>'
        f'<ul class="whatif-list" id="whatif-list">{"".join(boxes)}</ul>'
        f'<div class="button-row"><button type="button" id="whatif-reset">{esc(T["wc_reset"])}</button></div>'
        f"</details>"
        f'<p class="counter" id="whatif-counter" aria-live="polite" data-components="" data-largest="">{esc(T["wc_none"])}</p>'
        f"</section>"
    )


def whatif_scripts() -> list[str]:
    """One inline script after network.js: the counter (whatif.js) and the control wiring it to the page."""
    return [asset("whatif.js") + "\n" + asset("whatif_control.js")]


def whatif_style() -> str:
    return (
        ".whatif-control details{margin:.5rem 0}.whatif-control summary{cursor:pointer;font-weight:600}"
        ".whatif-list{list-style:none;margin:.25rem 0;padding:0;max-height:14rem;overflow:auto;border:1px solid #d0d7de;border-radius:4px}"
        ".whatif-list li{padding:.1rem .4rem}.whatif-list label{display:block;cursor:pointer}"
    )
