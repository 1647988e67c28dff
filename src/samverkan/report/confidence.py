"""How certain the sampled betweenness ranking is, as one paragraph of the bridging section.

The facts come from :func:`samverkan.metrics.betweenness_estimate.ranking_confidence` through
``summary["betweenness_guarantee"]`` (organisation ids); the words from :mod:`samverkan.text.report`.
"""

from __future__ import annotations

__all__ = ["confidence_paragraph"]

NAMED = 5  # organisations named before "and N more"


def confidence_paragraph(report) -> str:
    """The paragraph for a sampled ranking, or "" when betweenness is exact."""
    guarantee = report.summary.get("betweenness_guarantee")
    if not guarantee or report.summary.get("betweenness_exact", True):
        return ""
    statements = []
    for key in ("10", "50"):
        fact = guarantee.get(key)
        if not isinstance(fact, dict):
            continue
        size = report.int(fact["size"])
        if fact.get("shared_places") is None:
            statements.append(report.t("confidence_one") if fact["size"] == 1 else report.t("confidence_all", size=size))
            continue
        first, last = fact["shared_places"]
        names = ", ".join(report.e(report.org_name(org)) for org in fact["sharing"][:NAMED])
        more = int(fact.get("sharing_count", len(fact["sharing"]))) - min(NAMED, len(fact["sharing"]))
        if more > 0:
            names = report.t("confidence_more", names=names, more=report.int(more))
        statements.append(report.t("confidence_shared", certain=report.int(fact["certain"]), size=size, first=report.int(first), last=report.int(last), names=names))
    margin = float(guarantee.get("margin", 0.0))
    return (
        "<p>"
        + report.t(
            "confidence_intro",
            k=report.int(report.summary.get("betweenness_sources")),
            confidence=report.int(100 * float(guarantee.get("confidence", 0.9))),
            statements="; ".join(statements),
            margin=report.num(margin, 2),
        )
        + "</p>"
    )
