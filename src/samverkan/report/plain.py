"""The report's plain-language parts: how to read the numbers, "more of the same", the appendix.

Issue 12: a reader who is not an analyst reads first what the report shows, which reference date
it uses, how sub-projects count and what partial partner lists mean; the computation notes come
last, in an appendix. Every function takes the report (``build.ReportDraft``) and returns HTML.
"""

from __future__ import annotations


from ..metrics.repetition import repetition
from ..text import report as T

__all__ = ["reading_notes", "more_of_the_same", "appendix"]


def _partial_projects(r) -> int:
    projects = r._table("projects")
    if not len(projects) or "partial" not in projects.columns:
        return 0
    return int(projects["partial"].astype(str).str.lower().isin(["true", "1", "ja", "yes"]).sum())


def _has_sub_projects(r) -> bool:
    projects = r._table("projects")
    return bool(len(projects) and "parent" in projects.columns and projects["parent"].astype(str).str.strip().replace({"nan": "", "None": "", "<NA>": ""}).ne("").any())


def reading_notes(r) -> str:
    """Gaps and notes counted, the reference date, the sub-project rule and partial partner lists, in words."""
    items = []
    gaps, notes = r.gap_counts()
    if gaps or notes:
        items.append(r.t("s_gaps", gaps=r.e(r.plural(gaps, "gap")), notes=r.e(r.plural(notes, "note"))))
    date = str(r.summary.get("as_of") or "")
    if date:
        why = str(r.summary.get("as_of_explained") or "")
        items.append(r.t("as_of_sentence", date=r.e(T.format_date(date)), why=r.e(why)))
    if _has_sub_projects(r):
        items.append(r.t("sub_merge" if str(r.summary.get("sub_projects") or "separate") == "merge" else "sub_separate"))
    partial = _partial_projects(r)
    if partial:
        items.append(r.t("partial_sentence", n=r.e(r.plural(partial, "project"))))
    if not items:
        return ""
    return '<ul class="reading-notes">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def repetition_facts(r) -> dict | None:
    """``summary["repetition"]`` when the analysis gave it, else computed from the package's tables."""
    facts = r.summary.get("repetition")
    if isinstance(facts, dict):
        return facts
    parts = r._table("participations")
    if not len(parts) or not {"project", "organisation"} <= set(parts.columns):
        return None
    projects = r._table("projects")
    return repetition(parts, projects if len(projects) else None)


def more_of_the_same(r) -> str:
    """How often partners repeat from project to project (:func:`samverkan.metrics.repetition.repetition`)."""
    facts = repetition_facts(r)
    if not facts or not facts.get("ties"):
        return ""
    sentences = [r.t("more_same_ties", ties=r.e(r.plural(facts["ties"], "tie_pair")), repeated=r.e(T.format_int(facts["repeated_ties"], r.lang)), pct=r.e(r.pct(facts["repeated_tie_share"])))]
    share = facts.get("repeat_project_share")
    if share is not None and facts.get("dated_projects"):
        sentences.append(r.t("more_same_projects", projects=r.e(r.plural(facts["dated_projects"], "project")), repeats=r.e(T.format_int(facts["repeat_projects"], r.lang)), pct=r.e(r.pct(share))))
    tie_share = facts["repeated_tie_share"] or 0.0
    key = "more_same_meaning_high" if tie_share >= 0.5 else "more_same_meaning_low" if tie_share < 0.2 else "more_same_meaning_mid"
    sentences.append(r.t(key))
    return f"<h3>{r.t('more_same_title')}</h3>\n<p>{' '.join(sentences)}</p>"


def appendix(r) -> str:
    """How things were computed (methods, references, seeds, samples): last, for those who check."""
    notes = r.sampling_notes()
    parts = [f'<p class="small">{r.t("appendix_intro")}</p>']
    if notes:
        parts.append(f"<h3>{r.t('notes_title')}</h3>")
        parts.append('<ul class="notes">' + "".join(f"<li>{r.e(n)}</li>" for n in notes) + "</ul>")
    return "\n".join(parts)
