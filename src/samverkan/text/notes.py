"""The computation notes of an analysis ("how each figure was computed"), in Swedish and English.

:func:`computation_notes` words the facts of :func:`samverkan.metrics.bridging.method_facts`.
The English notes are the metric modules' own sentences (they state the method with its
reference where it is computed); the Swedish ones are made here from the same facts, never by
translating the English text.
"""

from __future__ import annotations

import numpy as np

from ..model import check_lang
from .format import format_fixed, format_int

__all__ = ["NOTE_TEXTS", "computation_notes"]

NOTE_TEXTS = {
    "sv": {
        "betweenness": "Mellanhetscentralitet (oviktad, normaliserad med (n−1)(n−2)/2)",
        "betweenness_weighted": "Viktad mellanhetscentralitet (bandlängd 1/vikt)",
        "closeness": "Närhetscentralitet (Wasserman–Faust för flera komponenter, isolat 0)",
        "exact": "{label}: exakt beräknad för alla {n} organisationer",
        "sampled": "{label}: skattad från {k} slumpvis valda startorganisationer av {n} (frö {seed}){error}",
        "error": "; mediant relativt standardfel {error} % bland de {top} högsta",
        "calibration": "; standardfelet är en vägledning, inte en gräns: i ett testnät låg minst {share} % av de 50 högsta "
        "inom 3 standardfel från det exakta värdet, så läs rangordningen snarare än decimalerna",
        "guarantee": "; med {confidence} % säkerhet (samtidiga intervall från {batches} oberoende omgångar av startorganisationer; ungefärliga, inte en garanti i värsta fall): {tops}; "
        "värdena stämmer inom ±{margin} (normaliserat)",
        "top_certain": "de {top} högsta är de verkliga {top} högsta",
        "top_one_certain": "den högsta är den verkliga högsta",
        "top_shared": "{certain} av de {top} högsta hör säkert till de verkliga {top} högsta, platserna {first}–{last} delas inom felmarginalen med {others} till",
        "communities": "Grupperingar med Leiden (igraph, modularitet, frö {seed}): {groups} grupper med minst två organisationer; modularitet {modularity}",
        "holes": "Strukturella hål (Burt 1992) på binära band i hela nätverket; mäklarroller (Gould & Fernandez 1989) "
        "efter '{group_by}', varje oriktat band räknat som två riktade band och ett enkelriktat band som ett (som R sna och UCINET)",
        "eigenvector": "Egenvektorcentralitet på binära band inom den största sammanhängande delen, normerad till längd 1; 0 utanför",
    },
}


def computation_notes(facts: dict, lang: str) -> list[str]:
    """How each figure was computed, in `lang`: exact or sampled, with the estimated error.

    Parameters
    ----------
    facts : dict
        As returned by :func:`samverkan.metrics.bridging.method_facts`.
    lang : {"sv", "en"}
    """
    check_lang(lang)
    if lang == "en":
        return list(facts.get("notes", []))
    texts = NOTE_TEXTS[lang]
    n = format_int(facts.get("n", 0), lang)
    seed = facts.get("seed", 42)
    notes = []
    for key, measure in facts.get("measures", {}).items():
        label = texts[key]
        if measure.get("exact", True):
            notes.append(texts["exact"].format(label=label, n=n))
            continue
        error = ""
        if measure.get("relative_error") is not None:
            error = texts["error"].format(error=format_fixed(100 * measure["relative_error"], lang, 1), top=format_int(measure.get("top", 50), lang))
            if measure.get("calibration") is not None:
                error += texts["calibration"].format(share=format_int(100 * measure["calibration"], lang))
            if measure.get("guarantee"):
                error += _guarantee_text(measure["guarantee"], texts, lang)
        notes.append(texts["sampled"].format(label=label, k=format_int(measure.get("sources") or 0, lang), n=n, seed=seed, error=error))
    if facts.get("modularity") is not None:
        notes.append(texts["communities"].format(seed=seed, groups=format_int(facts.get("communities_min2", 0), lang), modularity=format_fixed(facts["modularity"], lang, 3)))
    from .catalogue import GROUP_WORDS

    group_by = facts.get("group_by", "type")
    notes.append(texts["holes"].format(group_by=GROUP_WORDS[lang].get(group_by, (group_by,))[0]))
    notes.append(texts["eigenvector"])
    return notes


def _guarantee_text(guarantee: dict, texts: dict, lang: str) -> str:
    """The confidence statement of a sampled ranking (facts from ``ranking_confidence``)."""
    tops = []
    for top in ("10", "50"):
        fact = guarantee.get(top)
        if not fact:
            continue
        if fact.get("shared_places") is None:
            tops.append(texts["top_one_certain"] if fact["size"] == 1 else texts["top_certain"].format(top=fact["size"]))
        else:
            first, last = fact["shared_places"]
            tops.append(texts["top_shared"].format(certain=format_int(fact["certain"], lang), top=fact["size"], first=first, last=last, others=format_int(fact["sharing_count"], lang)))
    margin = guarantee.get("margin", 0.0)
    digits = max(1, -int(np.floor(np.log10(margin))) + 1) if margin > 0 else 3
    return texts["guarantee"].format(
        confidence=format_int(100 * guarantee.get("confidence", 0.9), lang),
        batches=format_int(guarantee.get("batches", 32), lang),
        tops="; ".join(tops),
        margin=format_fixed(margin, lang, digits),
    )


DENSE_TEXTS = {
    "sv": {
        "project": "Projektet '{name}' har {n} organisationer (fler än {limit}); dess {ties} band räknas inte in i samverkansnätverket "
        "(ett programövergripande projekt säger bara att alla deltog). Projektet finns kvar i projects.csv.",
        "contacts": "Projektets '{name}' {n} kontaktpersoner (fler än {limit}) knyts inte till varandra i kontaktnätverket (contact_ties.csv): "
        "det skulle ge miljontals band som bara säger att alla deltog.",
    },
    "en": {
        "project": "The project '{name}' has {n} organisations (more than {limit}); its {ties} ties are set aside from the collaboration network "
        "(a programme-wide project says only that all took part). It stays in projects.csv.",
        "contacts": "The {n} contacts of the project '{name}' (more than {limit}) are not tied to one another in the contact network "
        "(contact_ties.csv): that would add millions of ties that say only that all took part.",
    },
}


def dense_project_notes(projects, contacts, lang: str, *, limit: int) -> list[str]:
    """One sentence per programme-wide project set aside (:func:`samverkan.graph.projection.dense_projects`)
    and per project whose contacts were not tied together (:func:`samverkan.graph.projection.dense_contacts`)."""
    texts = DENSE_TEXTS["sv" if lang == "sv" else "en"]
    out = [texts["project"].format(name=name, n=format_int(n, lang), limit=format_int(limit, lang), ties=format_int(n * (n - 1) // 2, lang)) for name, n in projects]
    out += [texts["contacts"].format(name=name, n=format_int(n, lang), limit=format_int(limit, lang)) for name, n in contacts]
    return out
