"""Swedish and English sentences for the findings of the metrics: ownership gaps and white spots.

Every sentence a finding carries comes from here, so a translation is one dictionary and a
missing key fails loudly in the tests. Rule and kind codes stay stable English; only the
``message`` column is translated. Names of organisations, projects and target groups are
inserted as the package spells them.
"""

from __future__ import annotations

from collections import Counter
from string import Formatter

import pandas as pd

from ..model import LANGUAGES, ROLE_LABELS, check_lang
from .format import format_date, format_fixed, format_int, sort_key

__all__ = [
    "LANGUAGES",
    "UNKNOWN_LABEL",
    "UNKNOWN_LABELS",
    "SEVERITY_LABELS",
    "FINDING_TEXTS",
    "WHITE_SPOT_TEXTS",
    "check_lang",
    "finding_text",
    "white_spot_text",
    "role_label",
    "join_names",
    "quote",
    "format_date",
    "sort_key",
]


# The group label of organisations whose attribute is empty (type, level, municipality, region ...).
UNKNOWN_LABEL = {"sv": "(okänd)", "en": "(unknown)"}
UNKNOWN_LABELS = frozenset(UNKNOWN_LABEL.values())

SEVERITY_LABELS = {
    "sv": {"error": "allvarlig brist", "warning": "varning", "info": "information"},
    "en": {"error": "serious gap", "warning": "warning", "info": "information"},
}

FINDING_TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "no-owner": "{project} saknar projektägare: ingen organisation har rollen projektägare{in_parents}.",
        "no-owner.in_parents": ", varken i projektet eller i huvudprojektet",
        "owner-from-parent": "Delprojektet {project} har ingen egen projektägare; ägarskapet ligger hos huvudprojektet {parent} ({owners}).",
        "multiple-owners": "{project} har {n} projektägare ({owners}); det är oklart vem som äger förändringen.",
        "no-steering-group": "{project} har ingen styrgrupp{in_parents}.",
        "no-steering-group.in_parents": ", och inte heller huvudprojektet har någon",
        "steering-from-parent": "Delprojektet {project} har ingen egen styrgrupp; det styrs av styrgruppen i huvudprojektet {parent}.",
        "owner-not-in-steering": "Projektägaren {owners} sitter inte i styrgruppen för {project}{steering_of}.",
        "implementers-outside-steering": "{n} av {total} organisationer som genomför {project} (projektledning eller projektgrupp) sitter inte i styrgruppen{steering_of}: {names}.",
        "steering_of": " (huvudprojektets styrgrupp, {parent})",
        "role-without-contact": "Ingen kontaktperson är angiven för {items} i {project}.",
        "key-person-dependency.organisation": "Alla {n} deltaganden för {organisation} i {k} projekt ({projects}) bärs av samma kontaktperson, {contact}; organisationens medverkan hänger på en person.",
        "key-person-dependency.project": "{contact} står för {c} av {n} deltaganden i {project}; projektet hänger på en person.",
        "single-organisation-project.one": "Bara en organisation ({organisation}) deltar i {project} (omvärldsbevakning oräknad); projektet är inget samarbete.",
        "single-organisation-project.none": "Ingen organisation deltar i {project} (omvärldsbevakning oräknad).",
        "ended-without-receiver": "{project} är avslutat ({ended}) och ingen av dess ägare eller styrgruppsorganisationer ({names}) äger eller styr något senare eller pågående projekt, så långt uppgifterna visar; det syns inte vem som tar hand om resultaten.",
        "ended-without-receiver.nobody": "{project} är avslutat ({ended}) och har varken projektägare eller styrgrupp som kan ta hand om resultaten, så långt uppgifterna visar.",
        "partial": " Bara en del av projektets partner finns i underlaget, så det som saknas kan finnas hos någon som inte är med.",
        "ended.date": "slutdatum {date}",
        "status-dates-disagree": "Status och datum säger olika om {project}: statusen är '{status}' men projektet {when}; statusen gäller (en notering om datakvaliteten).",
        "when.past": "slutade {date}",
        "when.future": "pågår till {date}",
        "when.starts": "börjar {date}",
        "ended.status": "status avslutat",
    },
    "en": {
        "no-owner": "{project} has no owner: no organisation holds the owner role{in_parents}.",
        "no-owner.in_parents": ", neither in the project nor in its parent project",
        "owner-from-parent": "The sub-project {project} has no owner of its own; ownership lies with the parent project {parent} ({owners}).",
        "multiple-owners": "{project} has {n} owners ({owners}); it is unclear who owns the change.",
        "no-steering-group": "{project} has no steering group{in_parents}.",
        "no-steering-group.in_parents": ", and neither has its parent project",
        "steering-from-parent": "The sub-project {project} has no steering group of its own; it is steered by the steering group of the parent project {parent}.",
        "owner-not-in-steering": "The owner {owners} is not in the steering group of {project}{steering_of}.",
        "implementers-outside-steering": "{n} of the {total} organisations carrying out {project} (project lead or working group) are not in the steering group{steering_of}: {names}.",
        "steering_of": " (the steering group of the parent project {parent})",
        "role-without-contact": "No contact person is given for {items} in {project}.",
        "key-person-dependency.organisation": "All {n} participations of {organisation} in {k} projects ({projects}) are carried by the same contact person, {contact}; the organisation's involvement depends on one person.",
        "key-person-dependency.project": "{contact} accounts for {c} of the {n} participations in {project}; the project depends on one person.",
        "single-organisation-project.one": "Only one organisation ({organisation}) takes part in {project} (benchmarking not counted); the project is not a collaboration.",
        "single-organisation-project.none": "No organisation takes part in {project} (benchmarking not counted).",
        "ended-without-receiver": "{project} has ended ({ended}) and none of its owner or steering organisations ({names}) owns or steers a later or ongoing project, as far as the data shows; it is not visible who takes up the results.",
        "ended-without-receiver.nobody": "{project} has ended ({ended}) and has neither an owner nor a steering group to take up the results, as far as the data shows.",
        "partial": " Only some of the project's partners are listed, so what is missing may lie with one that is not.",
        "ended.date": "end date {date}",
        "status-dates-disagree": "Status and dates disagree for {project}: the status says '{status}' but the project {when}; the status is used (a data-quality note).",
        "when.past": "ended on {date}",
        "when.future": "runs to {date}",
        "when.starts": "starts on {date}",
        "ended.status": "status ended",
    },
}

WHITE_SPOT_TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "target-group-without-project": "Inget aktivt projekt riktar sig till målgruppen {target_group}{when}.",
        "target-group-without-project.earlier": " Projekt som inte är aktiva då: {projects}.",
        "target-group-only-gap-projects": "Målgruppen {target_group} nås{when} bara av projekt med allvarliga brister i ägarskap eller styrning: {projects}.",
        "white-spot": "Vit fläck: ingen insats och inget aktivt projekt når målgruppen {target_group} i {municipality}{when}.",
        "effort-gap": "Ingen insats i insatskartan når målgruppen {target_group} i {municipality}; bara projekt gör det{when}: {projects}.",
        "when": " per {date}",
        "municipality_code": "kommun {code}",
    },
    "en": {
        "target-group-without-project": "No active project addresses the target group {target_group}{when}.",
        "target-group-without-project.earlier": " Projects that are not active then: {projects}.",
        "target-group-only-gap-projects": "The target group {target_group} is addressed{when} only by projects with serious gaps in ownership or steering: {projects}.",
        "white-spot": "White spot: no effort and no active project reaches the target group {target_group} in {municipality}{when}.",
        "effort-gap": "No effort in the map of efforts reaches the target group {target_group} in {municipality}; only projects do{when}: {projects}.",
        "when": " as of {date}",
        "municipality_code": "municipality {code}",
    },
}

_AND = {"sv": "och", "en": "and"}
_MARK = "\x00"  # cuts a sentence into pieces around the slots of :func:`finding_messages` (never in a name: checked)
_MORE = {"sv": "{n} till", "en": "{n} more"}
_QUOTES = {"sv": ("”", "”"), "en": ("“", "”")}


def finding_text(lang: str, key: str, **values) -> str:
    """The ownership-finding sentence `key` in `lang`, with ``{placeholders}`` filled."""
    return FINDING_TEXTS[lang][key].format(**values)


def white_spot_text(lang: str, key: str, **values) -> str:
    """The white-spot sentence `key` in `lang`, with ``{placeholders}`` filled."""
    return WHITE_SPOT_TEXTS[lang][key].format(**values)


def role_label(lang: str, role: str) -> str:
    """The label of a role code (``"steering"`` -> ``"styrgrupp"``)."""
    return ROLE_LABELS[lang].get(role, role)


def quote(lang: str, name: str) -> str:
    """A name in the quotation marks of `lang`.

    Examples
    --------
    >>> quote("sv", "Introduktion Södertörn")
    '”Introduktion Södertörn”'
    """
    left, right = _QUOTES[lang]
    return f"{left}{name}{right}"


def join_names(lang: str, names, *, limit: int = 8) -> str:
    """Names as a sentence lists them: ``a, b och c``; after `limit` names, ``och N till``.

    Examples
    --------
    >>> join_names("sv", ["Huddinge kommun", "Haninge kommun", "Tyresö kommun"])
    'Huddinge kommun, Haninge kommun och Tyresö kommun'
    >>> join_names("en", ["a", "b", "c", "d"], limit=2)
    'a, b and 2 more'
    """
    names = [str(n) for n in names]
    if not names:
        return ""
    if len(names) > limit:
        shown = names[:limit]
        return ", ".join(shown) + f" {_AND[lang]} " + _MORE[lang].format(n=len(names) - limit)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {_AND[lang]} " + names[-1]


# ----------------------------------------------------------------------------------------------
# Severity words: errors and warnings are gaps (brister); info findings are notes (noteringar)
# and are never counted, coloured or headed as gaps.

GAP_SEVERITIES = ("error", "warning")
NOTE_SEVERITIES = ("info",)
SEVERITY_WORDS = {
    "sv": {"gap": ("brist", "brister"), "note": ("notering", "noteringar"), "ownership_gap": ("ägarskapsbrist", "ägarskapsbrister")},
    "en": {"gap": ("gap", "gaps"), "note": ("note", "notes"), "ownership_gap": ("ownership gap", "ownership gaps")},
}


def finding_counts(findings: pd.DataFrame) -> tuple[int, int]:
    """The number of gaps (errors and warnings) and of notes (info) among `findings`."""
    if findings is None or not len(findings) or "severity" not in findings.columns:
        return 0, 0
    severity = findings["severity"].astype(str)
    return int(severity.isin(GAP_SEVERITIES).sum()), int(severity.isin(NOTE_SEVERITIES).sum())


def counted(lang: str, n: int, word: str) -> str:
    """``3 brister``, ``1 note``: a count with the word of :data:`SEVERITY_WORDS` in the right number."""
    singular, plural = SEVERITY_WORDS[lang][word]
    return f"{format_int(n, lang)} {singular if n == 1 else plural}"


def severity_words(lang: str, gaps: int, notes: int) -> str:
    """The terminal's line on ownership: ``ägarskapsbrister: 3 (och 5 noteringar)``.

    >>> severity_words("en", 0, 2)
    'ownership gaps: 0 (and 2 notes)'
    """
    line = f"{SEVERITY_WORDS[lang]['ownership_gap'][1]}: {format_int(gaps, lang)}"
    if notes:
        line += f" ({_AND[lang]} {counted(lang, notes, 'note')})"
    return line


# ----------------------------------------------------------------------------------------------
# The findings in words


def _names_of(package, table: str) -> dict:
    """``{id: name}`` of a table, both stripped text; the first row of an id wins, as in the metrics."""
    frame = package.tables.get(table) if hasattr(package, "tables") else getattr(package, table, None)
    if frame is None or "id" not in frame.columns or "name" not in frame.columns:
        return {}

    def text(column: str) -> list:
        values = frame[column].tolist()
        if all(type(v) is str for v in values):  # the reader's text: only stripping is left
            return list(map(str.strip, values))
        return [("" if v is None or v != v else str(v)).strip() for v in values]

    ids, names = text("id"), text("name")
    ids.reverse()
    names.reverse()
    return dict(zip(ids, names))  # reversed: the first row is written last and wins


def finding_messages(findings: pd.DataFrame, package, lang: str) -> list[str]:
    """The sentence of every finding of :func:`samverkan.metrics.ownership.ownership_findings`.

    The facts name organisations, projects and contacts by id; the sentence names them as the
    package spells them (projects in quotation marks). A fact ``partial`` adds the sentence that
    only some of the project's partners are listed.
    """
    check_lang(lang)
    if findings is None or not len(findings):
        return []
    texts = FINDING_TEXTS[lang]
    labels = ROLE_LABELS[lang]
    org_names, contact_names, project_names = (_names_of(package, table) for table in ("organisations", "contacts", "projects"))
    quoted: dict = {}
    left, right = _QUOTES[lang]

    def proj(p):
        text = quoted.get(p)
        if text is None:
            text = quoted[p] = f"{left}{project_names.get(p) or p}{right}"  # quote(lang, ...)
        return text

    def orgs(ids):
        ids = ids.split("|") if isinstance(ids, str) else ids if isinstance(ids, list) else list(ids)
        if len(ids) == 1:  # most findings name one organisation: join_names of one name is the name
            return str(org_names.get(ids[0]) or ids[0])
        return join_names(lang, [org_names.get(o) or o for o in ids])

    def values(facts: dict) -> dict:
        """The words of the facts (all but the project and the organisations of the finding)."""
        out = {}
        for key, value in facts.items():
            if key in ("text", "partial"):
                continue
            if key == "in_parents":
                out[key] = texts[f"{facts['text']}.in_parents"] if value else ""
            elif key == "steering_of":
                out[key] = texts["steering_of"].format(parent=proj(value)) if value else ""
            elif key == "parent":
                out[key] = proj(value)
            elif key in ("owners", "names"):
                out[key] = orgs(value)
            elif key == "organisation":
                out[key] = org_names.get(value) or value
            elif key == "projects":
                out[key] = join_names(lang, [proj(p) for p in value])
            elif key == "contact":
                out[key] = contact_names.get(value) or value
            elif key == "items":
                out[key] = items_words(value)
            elif key == "when":  # (kind, ISO date): a status-dates-disagree note
                out[key] = texts[f"when.{value[0]}"].format(date=format_date(value[1]))
            elif key == "ended":
                out[key] = texts["ended.date"].format(date=format_date(value)) if value is not None else texts["ended.status"]
            else:
                out[key] = value
        return out

    # Many findings share one facts dict (every "no steering group" of a top-level project), and
    # many have facts of one shape (a role without contact: {"text", "items"}). Their sentence is cut
    # once into literal pieces around slots for what differs per finding: the project (P), the items
    # (I) and the organisations where the sentence names them and the facts do not (N, O). Filling
    # the slots is a concatenation, much quicker than formatting the sentence for every finding.
    facts_column = findings["facts"].tolist()
    uses = Counter(map(id, facts_column))

    def words_of(facts: dict) -> tuple[str, dict, tuple]:
        words = values(facts)
        sentence = texts[facts["text"]]
        own = tuple(key for key in ("names", "organisation") if "{" + key + "}" in sentence and key not in words)
        return sentence, words, own

    def cut(sentence: str, words: dict, slots: dict, partial: bool):
        """The pieces (literal, slot code, literal, ...) of `sentence` with `words` in; None if it cannot be cut so."""
        if set(slots) & set(words) or {field for _, field, _, _ in Formatter().parse(sentence) if field} - set(slots) - set(words):
            return None
        text = sentence.format(**words, **{key: f"{_MARK}{code}{_MARK}" for key, code in slots.items()})
        if text.count(_MARK) != 2 * sum(sentence.count("{" + key + "}") for key in slots):
            return None  # a name holds the mark
        pieces = text.split(_MARK)
        if partial:
            pieces[-1] += texts["partial"]
        return pieces

    def items_words(items: list) -> str:
        if len(items) == 1 and len(items[0][1]) == 1:  # most often one role of one organisation
            role, member = items[0][0], items[0][1][0]
            return f"{labels.get(role, role)} {org_names.get(member) or member}"
        return "; ".join([f"{labels.get(role, role)} {orgs(members)}" for role, members in items])

    def shared_pieces(facts: dict):
        sentence, words, own = words_of(facts)
        return cut(sentence, words, {"project": "P", **{key: key[0].upper() for key in own}}, bool(facts.get("partial")))

    def shape_pieces(facts: dict):
        sentence = texts[facts["text"]]
        own = {key: key[0].upper() for key in ("names", "organisation") if "{" + key + "}" in sentence}
        return cut(sentence, {}, {"project": "P", "items": "I", **own}, bool(facts.get("partial")))

    # Rows by how their sentence is made: shared facts (by id), facts of the items shape (by text
    # and partial), or whole; then each group's sentences at once, column by column.
    project_column, organisation_column = findings["project"].tolist(), findings["organisations"].tolist()
    groups: dict = {}
    whole: list = []
    for row, facts in enumerate(facts_column):
        key = id(facts)  # the facts stay alive (in `findings`) while their id is a key
        if uses[key] > 1:
            groups.setdefault(key, []).append(row)
        elif "items" in facts and len(facts) - ("partial" in facts) == 2:
            groups.setdefault((facts["text"], bool(facts.get("partial"))), []).append(row)
        else:
            whole.append(row)
    messages: list = [None] * len(facts_column)
    for key, rows in groups.items():
        first = facts_column[rows[0]]
        pieces = shared_pieces(first) if isinstance(key, int) else shape_pieces(first)
        if pieces is None:
            whole += rows
            continue
        slots = set(pieces[1::2])
        values_of = {"P": [proj(project_column[r]) if project_column[r] else "" for r in rows]}
        if "I" in slots:
            values_of["I"] = [items_words(facts_column[r]["items"]) for r in rows]
        if slots & {"N", "O"}:
            values_of["N"] = values_of["O"] = [orgs(organisation_column[r]) for r in rows]
        columns = [values_of[piece] if k % 2 else [piece] * len(rows) for k, piece in enumerate(pieces)]
        for r, message in zip(rows, map("".join, zip(*columns))):
            messages[r] = message
    for r in whole:  # made whole
        facts, project = facts_column[r], project_column[r]
        sentence, words, own = words_of(facts)
        message = sentence.format(**{"project": proj(project) if project else "", **words, **{key: orgs(organisation_column[r]) for key in own}})
        messages[r] = message + texts["partial"] if facts.get("partial") else message
    return messages


def findings_in_words(findings: pd.DataFrame, package, lang: str) -> pd.DataFrame:
    """`findings` with the ``facts`` column replaced by ``message`` in `lang` (the table the outputs write)."""
    out = findings.drop(columns=["facts"]).copy() if "facts" in findings.columns else findings.copy()
    out["message"] = pd.Series(finding_messages(findings, package, lang), index=findings.index, dtype=object) if len(findings) else pd.Series([], dtype=object)
    return out


def group_label(lang: str, code) -> str:
    """The label of a group code: the empty code (organisations without a value) is ``(okänd)``."""
    return UNKNOWN_LABEL[lang] if code == "" else str(code)


def label_groups(value, lang: str):
    """Group codes in an index (a table or series), or in the tables of an E-I result, as labels in `lang`."""
    check_lang(lang)
    if isinstance(value, dict):
        return {k: label_groups(v, lang) if isinstance(v, (pd.DataFrame, pd.Series)) and k != "organisations" else v for k, v in value.items()}
    out = value.copy()
    out.index = pd.Index([group_label(lang, v) for v in out.index], dtype=object, name=out.index.name)
    if isinstance(out, pd.DataFrame) and list(out.columns) == list(value.index):
        out.columns = pd.Index(list(out.index), dtype=object, name=value.columns.name)
    return out


# ----------------------------------------------------------------------------------------------
# Bridging actors: why each is listed

GROUP_WORDS = {
    "sv": {"type": ("organisationstyp", "organisationstyper"), "level": ("nivå", "nivåer"), "municipality": ("kommun", "kommuner"), "region": ("region", "regioner")},
    "en": {"type": ("organisation type", "organisation types"), "level": ("level", "levels"), "municipality": ("municipality", "municipalities"), "region": ("region", "regions")},
}

BRIDGING_TEXTS = {
    "sv": {
        "cut_point": "skärningspunkt: utan den förlorar {k} organisation{plural_er} kontakten med det största nätverket",
        "betweenness": "ligger ofta på den kortaste vägen mellan två andra organisationer: plats {rank} av {of} organisationer med minst en partner (mellanhetscentralitet {value})",
        "constraint": "låg begränsning ({value}): länkar samman partner som inte samverkar med varandra",
        "brokerage": "förmedlar kontakt {cross} gånger mellan två partner som inte själva samarbetar och som hör till olika {plural} (varje par räknat åt båda hållen){liaison_part}",
        "liaison_some": ", och i {liaison} av fallen hör alla tre till olika {plural}",
        "liaison_all": ", och i alla fallen hör alla tre till olika {plural}",
        "participation": "deltagandekoefficient {value}: samverkar över flera grupperingar (communities)",
        "strongest": "starkast på {measure}: högre än {percent} % av de andra organisationerna med partner",
        "measure.betweenness": "mellanhetscentralitet",
        "measure.constraint": "låg begränsning",
        "measure.cross_group_brokerage": "förmedling mellan {plural}",
        "measure.participation_coefficient": "deltagandekoefficient",
        "measure.removal_disconnects": "skärningspunkt",
    },
    "en": {
        "cut_point": "articulation point: removing it cuts off {k} organisation{plural_s} from the main network",
        "betweenness": "often lies on the shortest path between two other organisations: rank {rank} of {of} organisations with at least one partner (betweenness {value})",
        "constraint": "low constraint ({value}): spans structural holes between partners who do not work together",
        "brokerage": "brokers {cross} times between two partners who do not work together and belong to different {plural} (each pair counted both ways){liaison_part}",
        "liaison_some": ", and in {liaison} of these all three belong to different {plural}",
        "liaison_all": ", and in all of these all three belong to different {plural}",
        "participation": "participation coefficient {value}: works across communities",
        "strongest": "strongest on {measure}: above {percent} % of the other organisations with partners",
        "measure.betweenness": "betweenness",
        "measure.constraint": "low constraint",
        "measure.cross_group_brokerage": "brokerage between {plural}",
        "measure.participation_coefficient": "participation coefficient",
        "measure.removal_disconnects": "cut point",
    },
}


def bridging_reason(lang: str, fact: dict) -> str:
    """One reason of :func:`samverkan.metrics.bridging.rank_bridging_actors` in words."""
    texts = BRIDGING_TEXTS[lang]
    group_by = fact.get("group_by", "type")
    singular, plural = GROUP_WORDS[lang].get(group_by, (group_by, group_by))
    reason = fact["reason"]
    if reason == "cut_point":
        k = fact["k"]
        return texts[reason].format(k=format_int(k, lang), plural_er="er" if k != 1 else "", plural_s="s" if k != 1 else "")
    if reason == "betweenness":
        return texts[reason].format(value=format_fixed(fact["value"], lang, 3), rank=format_int(fact["rank"], lang), of=format_int(fact["of"], lang))
    if reason in ("constraint", "participation"):
        return texts[reason].format(value=format_fixed(fact["value"], lang, 2))
    if reason == "brokerage":
        liaison = fact["liaison"]
        part = "" if not liaison else texts["liaison_all" if liaison == fact["cross"] else "liaison_some"].format(liaison=format_int(liaison, lang), plural=plural)
        return texts[reason].format(cross=format_int(fact["cross"], lang), liaison_part=part, singular=singular, plural=plural)
    measure = texts[f"measure.{fact['measure']}"].format(plural=plural)
    return texts["strongest"].format(measure=measure, percent=fact["percent"])


def bridging_in_words(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked bridging actors with ``reasons`` as ``"; "``-joined sentences in `lang`."""
    check_lang(lang)
    out = ranked.copy()
    if len(out):
        out["reasons"] = ["; ".join(bridging_reason(lang, fact) for fact in facts) for facts in out["reasons"]]
    return out


# ----------------------------------------------------------------------------------------------
# White spots in words


def white_spots_in_words(spots: pd.DataFrame, package, lang: str) -> pd.DataFrame:
    """The white spots of :func:`samverkan.metrics.white_spots.white_spots` with a ``message`` in
    `lang` in place of the ``as_of`` column (the table the outputs write)."""
    check_lang(lang)
    texts = WHITE_SPOT_TEXTS[lang]
    out = spots.drop(columns=["as_of"]) if "as_of" in spots.columns else spots.copy()
    if not len(spots):
        out["message"] = pd.Series([], dtype=object)
        return out.astype(object)
    frame = package.tables.get("projects") if hasattr(package, "tables") else getattr(package, "projects", None)
    project_names: dict = {}
    if frame is not None and "id" in frame.columns and "name" in frame.columns:
        for i, n in zip(frame["id"], frame["name"]):
            project_names.setdefault(str(i).strip(), "" if n is None or n != n else str(n).strip())

    def projs(detail) -> str:
        ids = [p for p in str(detail or "").split("|") if p]
        return join_names(lang, [quote(lang, project_names.get(p) or p) for p in ids])

    def place(key, name) -> str:
        key, name = str(key or ""), str(name or "")
        return texts["municipality_code"].format(code=key) if name == key and key.isdigit() else name

    messages = []
    as_of_values = spots["as_of"].tolist() if "as_of" in spots.columns else [None] * len(spots)
    for row, as_of in zip(spots.itertuples(index=False), as_of_values):
        when = texts["when"].format(date=format_date(as_of)) if as_of is not None and as_of == as_of else ""
        group = quote(lang, str(row.target_group_name or row.target_group))
        kind = row.kind
        if kind == "target-group-without-project":
            message = texts[kind].format(target_group=group, when=when)
            if row.detail:
                message += texts["target-group-without-project.earlier"].format(projects=projs(row.detail))
        elif kind == "target-group-only-gap-projects":
            message = texts[kind].format(target_group=group, when=when, projects=projs(row.detail))
        elif kind == "white-spot":
            message = texts[kind].format(target_group=group, municipality=place(row.municipality, row.municipality_name), when=when)
        else:
            message = texts[kind].format(target_group=group, municipality=place(row.municipality, row.municipality_name), when=when, projects=projs(row.detail))
        messages.append(message)
    out["message"] = messages
    return out.astype(object)


# ----------------------------------------------------------------------------------------------
# Key players, what if, suggestions (issue 15): section titles, sentences, reason and note codes.
# Placeholders are filled by samverkan.report.section_key_players with names from the package and
# numbers through samverkan.text.format.

KEY_PLAYER_TEXTS = {
    "sv": {
        "sec_key_players": "Nyckelaktörer",
        "sec_whatif": "Tänk om",
        "sec_suggestions": "Förslag",
        "kp_intro": "Nyckelaktörer (Borgatti 2006) är de organisationer som nätverket hänger ihop genom eller som når flest andra. Organisationer som bara deltar som benchmarking har inga samarbetsband och räknas inte.",
        "kp_fragment": "Om {names} lämnar samarbetet faller nätverket isär i {parts} delar (i dag: {before}); den största delen har {largest} av {left} organisationer kvar.",
        "kp_fragment_one": "Om {names} lämnar samarbetet faller nätverket inte isär mer än i dag; den största delen har {largest} av {left} organisationer.",
        "kp_reach_all": "{count} når alla andra inom två steg: {names}.",
        "kp_reach": "{count} når {reached} av {outside} andra organisationer ({share}) inom två steg: {names}.",
        "kp_count_1": "En organisation",
        "kp_count_2": "Två organisationer",
        "kp_count_3": "Tre organisationer",
        "kp_count_n": "{n} organisationer",
        "kp_table": "Alla mängder finns i key_players.csv (F = andelen par som inte längre når varandra; räckvidd = andelen som nås inom två steg).",
        "kp_none": "Inga nyckelaktörer beräknades för det här nätverket.",
        "kp_col_kind": "Slag",
        "kp_col_size": "Antal",
        "kp_col_names": "Organisationer",
        "kp_col_score": "Värde",
        "kp_col_method": "Metod",
        "kind.fragment": "splittrar nätverket",
        "kind.reach": "når andra inom två steg",
        "method.exact": "exakt",
        "method.heuristic": "heuristik",
        "note.heuristic": "Nyckelaktörer ({kind}, {size}): heuristisk sökning (girig + byten, {starts} starter, frö {seed}); alla mängder prövades inte.",
        "note.reach-pool": "Räckvidd söktes bland de {pool} organisationer av {n} som har flest partner.",
        "note.single-start": "Nätverket har {n} organisationer (över {dense_limit}): heuristiken använde en start.",
        "note.greedy-only": "Nätverket har {n} organisationer (över {large_limit}): mängderna som splittrar är giriga, utan byten.",
        "note.skipped-size": "Nyckelaktörer ({kind}, {size}) hoppades över: bara {n} organisationer.",
        "note.no-fragmentation": "Ingen mängd av {size} splittrar nätverket; den som visas skär av flest band.",
        "note.skipped-network": "Nyckelaktörer beräknades inte: nätverket har {n} organisationer, fler än gränsen {limit}.",
        "note.benchmark-only": "{n} organisationer som bara deltar som benchmarking räknades inte som nyckelaktörer.",
        "wi_title": "Tänk om {names} lämnar",
        "wi_intro": "Analysen gäller nätverket som om {names} hade lämnat samarbetet. Före → efter:",
        "wi_none": "Kör med --without ORG för att se hur nätverket ser ut om en organisation lämnar samarbetet; i nätverksvyn finns ”Tänk om … lämnar”.",
        "wi_components": "Delar",
        "wi_largest": "Största delen (organisationer)",
        "wi_density": "Täthet",
        "wi_distance": "Medelavstånd (steg)",
        "wi_organisations": "Organisationer",
        "wi_ties": "Samarbetsband",
        "wi_figure": "Mått",
        "wi_before": "Före",
        "wi_after": "Efter",
        "wi_no_owner": "Projekt som blir utan ägare: {projects}.",
        "wi_no_steering": "Projekt som blir utan styrgrupp: {projects}.",
        "wi_no_projects": "Inga projekt blir utan ägare eller styrgrupp.",
        "wi_empty_projects": "Projekt där ingen längre deltar: {projects}.",
        "wc_label": "Tänk om … lämnar",
        "wc_help": "Kryssa för organisationer: de döljs och raden nedan räknar om nätverkets delar utan dem.",
        "wc_reset": "Alla tillbaka",
        "wc_none": "I dag: {organisations} organisationer i {components} delar; den största delen har {largest}.",
        "wc_summary": "Utan {hidden} av dem: {organisations} organisationer i {components} delar; den största delen har {largest}.",
        "wc_none_one": "I dag: {organisations} organisationer, alla i en sammanhängande del.",
        "wc_summary_one": "Utan {hidden} av dem: {organisations} organisationer, fortfarande alla i en sammanhängande del.",
        "sg_intro": "Förslag, inte slutsatser: organisationer som skulle kunna täcka en vit fläck, och organisationer som gör samma sak på samma platser men inte samarbetar.",
        "sg_spot": "Vem skulle kunna nå {group} i {place}? Kanske {suggestions}.",
        "sg_item": "{name} ({reason})",
        "sg_none": "Inga vita fläckar att föreslå aktörer för.",
        "sg_more": "Alla förslag finns i suggestions.csv.",
        "sg_ties_title": "Organisationer som kanske borde känna varandra",
        "sg_tie": "{a} och {b} når samma målgrupper på samma platser ({shared} gemensamma, överlapp {overlap}) men har inget gemensamt projekt: kanske värt ett möte?",
        "sg_ties_none": "Inga saknade band hittades.",
        "reason.serves-group-and-present": "når målgruppen på annat håll och finns redan i kommunen",
        "reason.serves-group-elsewhere": "når målgruppen på annat håll",
        "reason.present-in-municipality": "finns i kommunen med andra målgrupper",
    },
    "en": {
        "sec_key_players": "Key players",
        "sec_whatif": "What if",
        "sec_suggestions": "Suggestions",
        "kp_intro": "Key players (Borgatti 2006) are the organisations that hold the network together or reach most others. Organisations that only take part as benchmarking have no collaboration ties and are not counted.",
        "kp_fragment": "If {names} {leave} the collaboration, the network falls apart into {parts} parts (today: {before}); the largest part keeps {largest} of {left} organisations.",
        "kp_fragment_one": "If {names} {leave} the collaboration, the network falls apart no more than today; the largest part has {largest} of {left} organisations.",
        "kp_reach_all": "{count} {reach} all others within two steps: {names}.",
        "kp_reach": "{count} {reach} {reached} of {outside} other organisations ({share}) within two steps: {names}.",
        "kp_count_1": "One organisation",
        "kp_count_2": "Two organisations",
        "kp_count_3": "Three organisations",
        "kp_count_n": "{n} organisations",
        "kp_table": "Every set is in key_players.csv (F = share of pairs that can no longer reach each other; reach = share reached within two steps).",
        "kp_none": "No key players were computed for this network.",
        "kp_col_kind": "Kind",
        "kp_col_size": "Size",
        "kp_col_names": "Organisations",
        "kp_col_score": "Score",
        "kp_col_method": "Method",
        "kind.fragment": "fragments the network",
        "kind.reach": "reaches others in two steps",
        "method.exact": "exact",
        "method.heuristic": "heuristic",
        "note.heuristic": "Key players ({kind}, {size}): heuristic search (greedy + swaps, {starts} starts, seed {seed}); not every set was tried.",
        "note.reach-pool": "Reach was searched among the {pool} of {n} organisations with most partners.",
        "note.single-start": "The network has {n} organisations (above {dense_limit}): the heuristic used one start.",
        "note.greedy-only": "The network has {n} organisations (above {large_limit}): the fragmenting sets are greedy, without swaps.",
        "note.skipped-size": "Key players ({kind}, {size}) skipped: only {n} organisations.",
        "note.no-fragmentation": "No set of {size} splits the network; the one shown cuts most ties.",
        "note.skipped-network": "Key players were not computed: the network has {n} organisations, more than the limit of {limit}.",
        "note.benchmark-only": "{n} organisations that only take part as benchmarking were not counted as key players.",
        "wi_title": "What if {names} leaves",
        "wi_intro": "The analysis is of the network as if {names} had left the collaboration. Before → after:",
        "wi_none": "Run with --without ORG to see the network if an organisation leaves; the network view has “What if … leaves”.",
        "wi_components": "Parts",
        "wi_largest": "Largest part (organisations)",
        "wi_density": "Density",
        "wi_distance": "Mean distance (steps)",
        "wi_organisations": "Organisations",
        "wi_ties": "Collaboration ties",
        "wi_figure": "Figure",
        "wi_before": "Before",
        "wi_after": "After",
        "wi_no_owner": "Projects left without an owner: {projects}.",
        "wi_no_steering": "Projects left without a steering group: {projects}.",
        "wi_no_projects": "No project is left without owner or steering group.",
        "wi_empty_projects": "Projects nobody takes part in any more: {projects}.",
        "wc_label": "What if … leaves",
        "wc_help": "Tick organisations: they are hidden and the line below recounts the parts of the network without them.",
        "wc_reset": "All back",
        "wc_none": "Today: {organisations} organisations in {components} parts; the largest part has {largest}.",
        "wc_summary": "Without {hidden} of them: {organisations} organisations in {components} parts; the largest part has {largest}.",
        "wc_none_one": "Today: {organisations} organisations, all in one connected part.",
        "wc_summary_one": "Without {hidden} of them: {organisations} organisations, still all in one connected part.",
        "sg_intro": "Suggestions, not conclusions: organisations that could cover a white spot, and organisations doing the same work in the same places that do not collaborate.",
        "sg_spot": "Who could reach {group} in {place}? Perhaps {suggestions}.",
        "sg_item": "{name} ({reason})",
        "sg_none": "No white spots to suggest organisations for.",
        "sg_more": "Every suggestion is in suggestions.csv.",
        "sg_ties_title": "Organisations that might want to know each other",
        "sg_tie": "{a} and {b} reach the same target groups in the same places ({shared} in common, overlap {overlap}) but share no project: perhaps worth a meeting?",
        "sg_ties_none": "No missing ties were found.",
        "reason.serves-group-and-present": "serves the target group elsewhere and is already in the municipality",
        "reason.serves-group-elsewhere": "serves the target group elsewhere",
        "reason.present-in-municipality": "is in the municipality with other target groups",
    },
}


def key_player_text(lang: str, key: str, **values) -> str:
    """A key-player / what-if / suggestion sentence ``key`` in ``lang``, placeholders filled."""
    template = KEY_PLAYER_TEXTS[lang][key]
    return template.format(**values) if values else template


def _note_values(note: dict, lang: str) -> dict:
    out = {}
    for key, value in note.items():
        if key == "kind":
            out[key] = KEY_PLAYER_TEXTS[lang][f"kind.{value}"]
        elif not isinstance(value, bool) and isinstance(value.item() if hasattr(value, "item") else value, int):
            out[key] = format_int(int(value), lang)
        else:
            out[key] = value
    return out


def key_player_notes(notes, lang: str) -> list[str]:
    """Key-player note codes (:class:`samverkan.metrics.key_players.KeyPlayers` ``.notes``, or the
    result itself) in words, one sentence each, repeats dropped."""
    lines, seen = [], set()
    for note in getattr(notes, "notes", notes) or []:
        code = note.get("code")
        if f"note.{code}" not in KEY_PLAYER_TEXTS[lang]:
            continue
        line = key_player_text(lang, f"note.{code}", **_note_values(note, lang))
        if line not in seen:
            seen.add(line)
            lines.append(line)
    return lines
