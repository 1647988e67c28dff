"""Pseudonymise contact persons, who are personal data under the GDPR.

Contact names, e-mail addresses and ids are replaced by stable pseudonyms built from what is
not personal (the organisation and the job title) and a running number within the organisation
in id order, so the same input always gives the same pseudonyms and a reader still sees
"Samordnare, Huddinge kommun (kontakt 2)" without learning who it is.
"""

from __future__ import annotations


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
    # a contact's name or e-mail repeated elsewhere (an extra 'kontaktperson' column) goes too
    replacements = {old: new for old, new in zip(package.contacts["name"], contacts["name"]) if old}
    replacements.update({email: "" for email in package.contacts["email"] if email})
    for table_name, frame in tables.items():
        if table_name == "contacts" or frame.empty:
            continue
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].map(lambda v: _scrub(v, replacements))
        tables[table_name] = frame
    return replace(package, tables=tables)


def _scrub(value, replacements: dict):
    """A cell with every contact's name replaced by its pseudonym and every e-mail removed."""
    if not isinstance(value, str) or not value:
        return value
    if value in replacements:
        return replacements[value]
    for old, new in replacements.items():
        if old in value:
            value = value.replace(old, new)
    return value
