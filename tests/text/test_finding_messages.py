"""finding_messages makes each sentence as plain formatting of the facts would (issue 16: it cuts
shared sentences once into pieces and fills in only the project and organisations per finding)."""

import pandas as pd
import pytest

from samverkan.io.package import empty_package
from samverkan.metrics.ownership import FINDING_COLUMNS
from samverkan.model import ROLE_LABELS
from samverkan.text.catalogue import FINDING_TEXTS, finding_messages, join_names, quote
from samverkan.text.format import format_date


def plain_messages(findings, package, lang):
    """The sentences made one by one with str.format: the reference the quick path must equal."""
    texts = FINDING_TEXTS[lang]

    def names(table):
        frame = package.tables[table]
        out = {}
        for i, n in zip(frame["id"], frame["name"]):
            out.setdefault(str(i).strip(), str(n).strip())
        return out

    org_names, contact_names, project_names = names("organisations"), names("contacts"), names("projects")

    def proj(p):
        return quote(lang, project_names.get(p) or p)

    def orgs(ids):
        ids = ids.split("|") if isinstance(ids, str) else list(ids)
        return join_names(lang, [org_names.get(o) or o for o in ids])

    messages = []
    for facts, project, organisations in zip(findings["facts"], findings["project"], findings["organisations"]):
        out = {"project": proj(project) if project else ""}
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
                out[key] = "; ".join(f"{ROLE_LABELS[lang].get(role, role)} {orgs(members)}" for role, members in value)
            elif key == "when":
                out[key] = texts[f"when.{value[0]}"].format(date=format_date(value[1]))
            elif key == "ended":
                out[key] = texts["ended.date"].format(date=format_date(value)) if value is not None else texts["ended.status"]
            else:
                out[key] = value
        sentence = texts[facts["text"]]
        for key in ("names", "organisation"):
            if "{" + key + "}" in sentence and key not in out:
                out[key] = orgs(organisations)
        messages.append(sentence.format(**out) + (texts["partial"] if facts.get("partial") else ""))
    return messages


def small_package():
    pkg = empty_package()
    pkg.tables["organisations"] = pd.DataFrame({"id": ["o1", "o2", "o3", "odd"], "name": ["Region Örebro län", "Örebro kommun", "", "Mark\x00P\x00er"]})
    pkg.tables["contacts"] = pd.DataFrame({"id": ["c1"], "name": ["Anna Andersson"]})
    pkg.tables["projects"] = pd.DataFrame({"id": ["p1", "p2", "p3"], "name": ["Förstudie", "Bro {project}", ""]})
    return pkg


def findings_of(rows):
    return pd.DataFrame([dict(zip(FINDING_COLUMNS, (rule, "warning", project, "", organisations, facts))) for rule, project, organisations, facts in rows], columns=FINDING_COLUMNS)


def test_every_kind_of_finding_reads_as_plain_formatting_says():
    no_steering = {"text": "no-steering-group", "in_parents": False}
    one = {"text": "single-organisation-project.one"}
    ended = {"text": "ended-without-receiver", "ended": pd.Timestamp("2014-06-30"), "partial": True}
    odd_owner = {"text": "owner-from-parent", "parent": "p1", "owners": ["odd"]}  # a name holding the mark: made whole
    named = {"text": "no-owner", "in_parents": False, "project": "p9"}  # facts naming a project themselves
    rows = [
        ("no-steering-group", "p1", "", no_steering),
        ("no-steering-group", "p2", "", no_steering),
        ("no-steering-group", "p3", "", no_steering),
        ("single-organisation-project", "p1", "o1", one),
        ("single-organisation-project", "p2", "o3", one),
        ("ended-without-receiver", "p1", "o1|o2", ended),
        ("ended-without-receiver", "p3", "o2", ended),
        ("owner-from-parent", "p2", "odd", odd_owner),
        ("owner-from-parent", "p3", "odd", odd_owner),
        ("no-owner", "p1", "", named),
        ("no-owner", "p2", "", named),
        ("role-without-contact", "p1", "o1", {"text": "role-without-contact", "items": [("owner", ["o1"])]}),
        ("role-without-contact", "p2", "o1|o2", {"text": "role-without-contact", "items": [("owner", ["o1", "o2"]), ("steering", ["o2"])]}),
        ("role-without-contact", "p3", "odd", {"text": "role-without-contact", "items": [("lead", ["odd"])], "partial": True}),
        ("role-without-contact", "p3", "o9", {"text": "role-without-contact", "items": [("unknown-role", ["o9"])]}),
        ("multiple-owners", "p1", "o1|o2", {"text": "multiple-owners", "n": 2, "owners": ["o1", "o2"]}),
        ("key-person-dependency", "", "o1", {"text": "key-person-dependency.organisation", "organisation": "o1", "n": 3, "k": 2, "projects": ["p1", "p2"], "contact": "c1"}),
        ("key-person-dependency", "p1", "o1|o2", {"text": "key-person-dependency.project", "contact": "c9", "c": 2, "n": 3}),
        ("implementers-outside-steering", "p2", "o2", {"text": "implementers-outside-steering", "n": 1, "total": 2, "names": ["o2"], "steering_of": "p1"}),
        ("ended-without-receiver", "p2", "", {"text": "ended-without-receiver.nobody", "ended": None}),
        ("status-dates-disagree", "p1", "", {"text": "status-dates-disagree", "status": "active", "when": ("past", "2013-12-31")}),
    ]
    findings = findings_of(rows)
    pkg = small_package()
    for lang in ("sv", "en"):
        assert finding_messages(findings, pkg, lang) == plain_messages(findings, pkg, lang)
    # by hand, a few: the shared sentence with each project in, the organisation from the finding, the mark kept as data
    sv = finding_messages(findings, pkg, "sv")
    assert sv[:3] == ["”Förstudie” har ingen styrgrupp.", "”Bro {project}” har ingen styrgrupp.", "”p3” har ingen styrgrupp."]
    assert sv[4].startswith("Bara en organisation (o3) deltar i ”Bro {project}”")
    assert "Mark\x00P\x00er" in sv[7] and sv[9].startswith("p9 saknar projektägare")
    assert sv[11] == "Ingen kontaktperson är angiven för projektägare Region Örebro län i ”Förstudie”."


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_findings_no_messages(lang):
    assert finding_messages(findings_of([]), small_package(), lang) == []
