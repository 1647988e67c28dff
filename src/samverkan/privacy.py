"""Pseudonymise contact persons, who are personal data under the GDPR.

Contact names, e-mail addresses and ids are replaced by stable pseudonyms built from what is
not personal (the organisation and the job title) and a running number within the organisation
in id order, so the same input always gives the same pseudonyms and a reader still sees
"Samordnare, Huddinge kommun (kontakt 2)" without learning who it is.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["pseudonymise_package"]

_WORD = {"sv": "kontakt", "en": "contact"}


def pseudonymise_package(package, *, lang: str = "sv"):
    """A copy of ``package`` whose contacts carry pseudonyms instead of names, e-mails and ids."""
    from dataclasses import replace

    from .model import TABLES

    # extra columns (telephone, notes...) may hold personal data too: they are dropped
    contacts = package.contacts[TABLES["contacts"].column_names].copy()
    organisations = dict(zip(package.organisations["id"], package.organisations["name"]))
    word = _WORD.get(lang, "contact")
    ordered = contacts.sort_values(["organisation", "id"], kind="stable")
    number = ordered.groupby("organisation").cumcount() + 1
    new_ids: dict[str, str] = {}
    names: dict[str, str] = {}
    for index, contact in ordered.iterrows():
        n = int(number.loc[index])
        org = organisations.get(contact["organisation"], contact["organisation"])
        new_ids[contact["id"]] = f"{contact['organisation']}-{word}-{n}"
        label = contact["title"] or word.capitalize()
        names[contact["id"]] = f"{label}, {org} ({word} {n})"
    contacts["name"] = contacts["id"].map(names)
    contacts["email"] = ""
    contacts["id"] = contacts["id"].map(new_ids)
    participations = package.participations.copy()
    participations["contact"] = participations["contact"].map(lambda c: new_ids.get(c, c) if c else c)
    tables = dict(package.tables)
    tables["contacts"] = contacts
    tables["participations"] = participations
    # Elsewhere a contact is replaced where it is referenced, never as a substring of other text:
    # a contact named "Örebro" must not rewrite "Örebro kommun" or the region "Örebro".
    #  - columns that refer to contacts (type ref:contacts): ids become the pseudonymous ids;
    #  - extra columns whose name says they hold a person (kontaktperson, contact e-mail...):
    #    a cell that IS a contact's name, e-mail or id becomes the pseudonym (e-mails go);
    #  - an e-mail address of a contact is removed from any text cell (an address is never part
    #    of an ordinary word, so this cannot change other text).
    by_name = {old: new for old, new in zip(package.contacts["name"], contacts["name"]) if isinstance(old, str) and old.strip()}
    by_id = {old: new for old, new in zip(package.contacts["id"], contacts["id"]) if isinstance(old, str) and old}
    emails = sorted({e for e in package.contacts["email"] if isinstance(e, str) and "@" in e}, key=len, reverse=True)
    for table_name, frame in tables.items():
        if table_name == "contacts" or frame.empty:
            continue
        schema = TABLES.get(table_name)
        known = {c.name: c for c in schema.columns} if schema is not None else {}
        changed = None
        for column in frame.columns:
            if not (frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])):
                continue
            kind = known[column].kind if column in known else None
            if kind == "ref:contacts" and table_name != "participations":
                mapping = by_id
            elif column not in known and _PERSON_COLUMN.search(str(column)):
                mapping = {**by_id, **by_name, **dict.fromkeys(emails, "")}
            elif emails:
                mapping = None
            else:
                continue
            if changed is None:
                changed = frame.copy()
            if mapping is not None:
                changed[column] = changed[column].map(lambda v, m=mapping: m.get(v.strip(), v) if isinstance(v, str) else v)
            if emails:
                changed[column] = changed[column].map(lambda v: _without_emails(v, emails))
        if changed is not None:
            tables[table_name] = changed
    return replace(package, tables=tables)


_PERSON_COLUMN = re.compile(r"kontakt|contact|person|e[-_ ]?post|e[-_ ]?mail|\bmail|mejl|telefon|phone", re.IGNORECASE)


def _without_emails(value, emails: list[str]):
    """A text cell with every given e-mail address removed (exact, case-insensitive)."""
    if not isinstance(value, str) or "@" not in value:
        return value
    for email in emails:
        if email.lower() in value.lower():
            value = re.sub(re.escape(email), "", value, flags=re.IGNORECASE)
    return value
