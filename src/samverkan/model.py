"""The data model of a samverkan package, declared as data.

A package holds eight tables (the last, key figures, is optional). Each column has a canonical
English name, Swedish (and other) names that are accepted in files, a kind that says how cells
are parsed, and whether it is required. Vocabularies (roles, organisation types, levels) map
every accepted spelling to one canonical code. Readers, validators, the template writer and the
docs all use these declarations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_ORDER",
    "ROLES",
    "ORG_TYPES",
    "LEVELS",
    "TIE_TYPES",
    "STATUSES",
    "normalise_key",
    "canonical_role",
    "canonical_org_type",
    "canonical_level",
    "LIST_SEPARATOR",
]

LIST_SEPARATOR = "|"

# kinds: text, id, ref:<table>, list, list:<table>, date, number, bool, vocab:<name>


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    doc: str = ""
    doc_sv: str = ""

    @property
    def ref_table(self) -> str | None:
        if self.kind.startswith("ref:") or self.kind.startswith("list:"):
            return self.kind.split(":", 1)[1]
        return None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    optional: bool = False
    key: str | None = "id"
    doc: str = ""
    doc_sv: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def normalise_key(text: str) -> str:
    """Lower case, accents kept (å ä ö matter in Swedish), spaces/dashes to underscores."""
    text = unicodedata.normalize("NFC", str(text)).strip().lower()
    text = re.sub(r"[\s\-./]+", "_", text)
    return text.strip("_")


C = Column
TABLES: dict[str, Table] = {
    "organisations": Table(
        "organisations",
        (
            C("id", "id", True, ("org_id", "organisation_id", "organisations_id"), "Unique id of the organisation.", "Unikt id för organisationen."),
            C("name", "text", True, ("namn", "organisation", "organisationsnamn", "organisation_name"), "Official name.", "Officiellt namn."),
            C(
                "type",
                "vocab:org_type",
                False,
                ("typ", "organisationstyp", "org_type"),
                "Kind of organisation (see the list of types); 'other' when empty.",
                "Typ av organisation (se listan); 'other' om tom.",
            ),
            C("level", "vocab:level", False, ("nivå", "niva"), "local, regional, national or eu.", "lokal, regional, nationell eller eu."),
            C("municipality", "text", False, ("kommun",), "Municipality where it sits (name or code such as 0180).", "Kommun (namn eller kod, t.ex. 0180)."),
            C("region", "text", False, ("län", "lan", "county"), "Region or county.", "Region eller län."),
            C(
                "parent",
                "ref:organisations",
                False,
                ("förälder", "foralder", "moderorganisation", "tillhör", "tillhor"),
                "Id of the organisation this unit belongs to.",
                "Id för den organisation enheten tillhör.",
            ),
            C("aliases", "list", False, ("alias", "andra_namn", "namnvarianter"), "Other spellings, separated by |.", "Andra stavningar, åtskilda med |."),
        ),
        ("organisationer", "organisation", "orgs"),
        doc="Partner organisations.",
        doc_sv="Organisationer som deltar.",
    ),
    "contacts": Table(
        "contacts",
        (
            C("id", "id", True, ("contact_id", "kontakt_id"), "Unique id of the contact.", "Unikt id för kontakten."),
            C("name", "text", False, ("namn", "person"), "Name, or a role title instead of a personal name.", "Namn, eller en rolltitel i stället för personnamn."),
            C("organisation", "ref:organisations", True, ("organisation_id", "org", "organisation"), "Id of the contact's organisation.", "Id för kontaktens organisation."),
            C("title", "text", False, ("titel", "befattning", "roll_titel"), "Job title.", "Befattning."),
            C("email", "text", False, ("e_post", "epost", "mejl", "mail", "e_mail"), "E-mail address (personal data: never shown in shared outputs).", "E-postadress (personuppgift)."),
        ),
        ("kontakter", "kontaktpersoner", "personer"),
        doc="Contact persons: personal data.",
        doc_sv="Kontaktpersoner: personuppgifter.",
    ),
    "projects": Table(
        "projects",
        (
            C("id", "id", True, ("project_id", "projekt_id"), "Unique id of the project.", "Unikt id för projektet."),
            C("name", "text", True, ("namn", "projektnamn", "project_name"), "Name of the project.", "Projektets namn."),
            C("region", "text", False, ("län", "lan"), "Region the project belongs to.", "Region som projektet hör till."),
            C("start", "date", False, ("startdatum", "start_date", "från", "fran"), "Start date (YYYY-MM-DD or an Excel date).", "Startdatum (ÅÅÅÅ-MM-DD eller Excel-datum)."),
            C("end", "date", False, ("slutdatum", "end_date", "slut", "till"), "End date.", "Slutdatum."),
            C("budget", "number", False, ("budget_sek", "belopp", "kostnad"), "Budget (decimal comma or point).", "Budget (decimalkomma eller punkt)."),
            C("funder", "text", False, ("finansiär", "finansiar", "finansiering"), "Who funds it (free text).", "Vem som finansierar (fritext)."),
            C("status", "vocab:status", False, ("läge",), "planned, active, ended or cancelled.", "planerat, pågående, avslutat eller avbrutet."),
            C("target_groups", "list:target_groups", False, ("målgrupper", "malgrupper", "målgrupp", "malgrupp"), "Ids of target groups, separated by |.", "Id för målgrupper, åtskilda med |."),
            C(
                "parent",
                "ref:projects",
                False,
                ("förälder", "foralder", "huvudprojekt", "del_av", "ingår_i", "ingar_i"),
                "Id of the larger project this one is part of.",
                "Id för det större projekt som detta ingår i.",
            ),
            C(
                "partial",
                "bool",
                False,
                ("partial_partners", "delvis", "ofullständig", "ofullstandig"),
                "true when only some of the project's partners are listed (e.g. only the Swedish ones): gaps that an unlisted partner may fill are then shown as info.",
                "sant när bara en del av projektets partner finns med (t.ex. bara de svenska): brister som en partner utanför listan kan fylla visas då som info.",
            ),
        ),
        ("projekt", "projects_list", "insatser_projekt"),
        doc="Joint projects.",
        doc_sv="Gemensamma projekt.",
    ),
    "participations": Table(
        "participations",
        (
            C("project", "ref:projects", True, ("projekt", "project_id", "projekt_id"), "Id of the project.", "Id för projektet."),
            C("organisation", "ref:organisations", True, ("organisation_id", "org"), "Id of the organisation.", "Id för organisationen."),
            C("contact", "ref:contacts", False, ("kontakt", "kontaktperson", "contact_id"), "Id of the contact who represents it (optional).", "Id för kontaktpersonen (frivilligt)."),
            C("role", "vocab:role", True, ("roll",), "Role in the project (see the list of roles).", "Roll i projektet (se listan)."),
            C("start", "date", False, ("startdatum", "från", "fran"), "When the participation started.", "När deltagandet började."),
            C("end", "date", False, ("slutdatum", "slut", "till"), "When it ended.", "När det slutade."),
        ),
        ("deltagande", "deltaganden", "deltagare", "medverkan", "roller"),
        key=None,
        doc="Who takes part in which project, in which role.",
        doc_sv="Vem som deltar i vilket projekt och i vilken roll.",
    ),
    "target_groups": Table(
        "target_groups",
        (
            C("id", "id", True, ("målgrupp_id", "malgrupp_id"), "Unique id of the target group.", "Unikt id för målgruppen."),
            C("name", "text", True, ("namn", "målgrupp", "malgrupp"), "Name of the target group.", "Målgruppens namn."),
        ),
        ("målgrupper", "malgrupper", "targetgroups"),
        optional=True,
        doc="Target groups of projects and efforts.",
        doc_sv="Målgrupper för projekt och insatser.",
    ),
    "ties": Table(
        "ties",
        (
            C("source", "ref:organisations", True, ("från", "fran", "from", "källa", "kalla"), "Id of one organisation.", "Id för den ena organisationen."),
            C("target", "ref:organisations", True, ("till", "to", "mål", "mal"), "Id of the other organisation.", "Id för den andra organisationen."),
            C("type", "vocab:tie_type", False, ("typ",), "agreement, funding, information, advice, other.", "avtal, finansiering, information, råd, annat."),
            C("weight", "number", False, ("vikt", "styrka"), "Strength (a positive number, 1 when empty).", "Styrka (positivt tal, 1 om tom)."),
            C("directed", "bool", False, ("riktad",), "true when the tie goes one way (source to target).", "sant om relationen är riktad (från källa till mål)."),
        ),
        ("relationer", "band", "kopplingar", "direkta_relationer"),
        optional=True,
        key=None,
        doc="Direct relations between organisations outside projects.",
        doc_sv="Direkta relationer mellan organisationer utanför projekt.",
    ),
    "efforts": Table(
        "efforts",
        (
            C("id", "id", True, ("insats_id",), "Unique id of the effort.", "Unikt id för insatsen."),
            C("name", "text", True, ("namn", "insats"), "Name of the effort.", "Insatsens namn."),
            C("organisation", "ref:organisations", True, ("organisation_id", "anordnare", "utförare", "utforare"), "Id of the organisation offering it.", "Id för organisationen som erbjuder den."),
            C("target_groups", "list:target_groups", False, ("målgrupper", "malgrupper"), "Ids of target groups, separated by |.", "Id för målgrupper, åtskilda med |."),
            C(
                "municipalities",
                "list",
                False,
                ("kommuner", "öppen_för", "oppen_for"),
                "Municipalities whose residents may use it, separated by |.",
                "Kommuner vars invånare kan använda den, åtskilda med |.",
            ),
        ),
        ("insatser", "insatskarta", "karta"),
        optional=True,
        doc="What each organisation offers (the map of efforts).",
        doc_sv="Vad varje organisation erbjuder (insatskartan).",
    ),
    "key_figures": Table(
        "key_figures",
        (
            C(
                "area",
                "text",
                True,
                ("område", "omrade", "kommun", "kommunkod", "municipality", "municipality_id", "kommun_id", "region_id"),
                "Where the figure belongs: a municipality code (0126), a county code (01) or an organisation id.",
                "Var nyckeltalet hör hemma: kommunkod (0126), länskod (01) eller ett organisations-id.",
            ),
            C("indicator", "text", True, ("nyckeltal", "nyckeltal_id", "kpi", "kpi_id", "indikator"), "Id of the key figure, e.g. Kolada's N00914.", "Nyckeltalets id, t.ex. Koladas N00914."),
            C("period", "text", True, ("år", "ar", "year", "månad", "manad", "month"), "Year (2014) or month (2014-03).", "År (2014) eller månad (2014-03)."),
            C("value", "number", True, ("värde", "varde"), "The value (decimal comma or point).", "Värdet (decimalkomma eller punkt)."),
            C(
                "indicator_name",
                "text",
                False,
                ("nyckeltal_namn", "namn", "name", "kpi_title", "title", "titel"),
                "Name of the key figure (the id is shown when empty).",
                "Nyckeltalets namn (id visas om tomt).",
            ),
            C("unit", "text", False, ("enhet",), "Unit, e.g. % or kr/inv.", "Enhet, t.ex. % eller kr/inv."),
            C(
                "gender",
                "vocab:gender",
                False,
                ("kön", "kon", "sex"),
                "T (total, the default), K (women) or M (men), as Kolada writes it.",
                "T (totalt, standard), K (kvinnor) eller M (män), som i Kolada.",
            ),
            C("source", "text", False, ("källa", "kalla"), "Where the figure comes from (e.g. Kolada, SCB).", "Varifrån nyckeltalet kommer (t.ex. Kolada, SCB)."),
        ),
        ("nyckeltal", "keyfigures", "kolada"),
        optional=True,
        key=None,
        doc="Key figures per area and period (e.g. from Kolada), shown beside the network.",
        doc_sv="Nyckeltal per område och period (t.ex. från Kolada), visade bredvid nätverket.",
    ),
}

TABLE_ORDER = list(TABLES)

# Vocabularies: canonical code -> accepted spellings (normalised with normalise_key).
ROLES: dict[str, tuple[str, ...]] = {
    "owner": ("owner", "projektägare", "ägare", "projektagare", "agare", "huvudman", "lead_partner", "lp", "coordinator", "koordinator", "sökande", "sokande"),
    "lead": ("lead", "project_lead", "projektledning", "projektledare", "project_leader", "ledning"),
    "steering": ("steering", "steering_group", "styrgrupp", "styrgruppen", "styrning"),
    "reference": ("reference", "reference_group", "referensgrupp", "referensgruppen", "associated_partner", "ap"),
    "working": ("working", "working_group", "project_group", "projektgrupp", "projektgruppen", "arbetsgrupp", "arbetsgruppen"),
    "partner": ("partner", "samverkanspart", "samverkanspartner", "participant", "deltagare", "pp", "projektpartner"),
    "support": ("support", "process_support", "processtöd", "processtod", "stöd", "stod"),
    "funder": ("funder", "finansiär", "finansiar", "funding"),
    "evaluator": ("evaluator", "utvärderare", "utvarderare", "följeforskare", "foljeforskare", "evaluation"),
    "benchmark": ("benchmark", "omvärldsbevakning", "omvarldsbevakning", "jämförelse", "jamforelse", "benchmarking"),
}

ROLE_LABELS = {
    "en": {
        "owner": "owner",
        "lead": "project lead",
        "steering": "steering group",
        "reference": "reference group",
        "working": "working group",
        "partner": "partner",
        "support": "process support",
        "funder": "funder",
        "evaluator": "evaluator",
        "benchmark": "benchmarking",
    },
    "sv": {
        "owner": "projektägare",
        "lead": "projektledning",
        "steering": "styrgrupp",
        "reference": "referensgrupp",
        "working": "projektgrupp",
        "partner": "samverkanspart",
        "support": "processtöd",
        "funder": "finansiär",
        "evaluator": "utvärderare",
        "benchmark": "omvärldsbevakning",
    },
}

LANGUAGES = ("sv", "en")

ORG_TYPE_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "municipality": "kommun",
        "region": "region",
        "county_council": "landsting",
        "state_agency": "statlig myndighet",
        "county_admin_board": "länsstyrelse",
        "association_of_local_authorities": "kommunförbund",
        "ngo": "ideell organisation",
        "social_economy": "social ekonomi",
        "academia": "akademi",
        "business": "näringsliv",
        "funder": "finansiär",
        "other": "övrigt",
    },
    "en": {
        "municipality": "municipality",
        "region": "region",
        "county_council": "county council",
        "state_agency": "state agency",
        "county_admin_board": "county administrative board",
        "association_of_local_authorities": "association of local authorities",
        "ngo": "non-profit organisation",
        "social_economy": "social economy",
        "academia": "academia",
        "business": "business",
        "funder": "funder",
        "other": "other",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if samverkan speaks it, else raise :class:`~samverkan.errors.UsageError`."""
    if lang not in LANGUAGES:
        from .errors import UsageError

        raise UsageError(f"Unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}.")
    return lang


ORG_TYPES: dict[str, tuple[str, ...]] = {
    "municipality": ("municipality", "kommun", "local_public_authority", "kommunal", "kommunalt_bolag"),
    "region": ("region", "regionförbund", "regionforbund", "regional_public_authority", "regionalt"),
    "county_council": ("county_council", "landsting", "landstinget"),
    "state_agency": ("state_agency", "myndighet", "statlig_myndighet", "statlig", "national_public_authority", "state"),
    "county_admin_board": ("county_admin_board", "länsstyrelse", "länsstyrelsen", "lansstyrelse", "lst"),
    "association_of_local_authorities": ("association_of_local_authorities", "kommunförbund", "kommunforbund", "skl", "skr", "ksl"),
    "ngo": ("ngo", "ideell_förening", "ideell_forening", "förening", "forening", "civilsamhälle", "civilsamhallet", "interest_group", "interest_groups_including_ngos"),
    "social_economy": ("social_economy", "social_ekonomi", "sociala_företag", "sociala_foretag", "socialt_företag"),
    "academia": ("academia", "universitet", "högskola", "hogskola", "akademi", "forskning", "research", "fou", "higher_education_and_research", "hes", "rec", "higher_education", "university"),
    "business": ("business", "företag", "foretag", "näringsliv", "naringsliv", "prc", "sme", "small_or_medium_sized_enterprise_sme", "large_enterprise", "enterprise", "private"),
    "funder": ("funder", "finansiär", "finansiar"),
    "other": ("other", "annan", "annat", "övrigt", "ovrigt", "oth", "pub", "public_body"),
}

LEVELS: dict[str, tuple[str, ...]] = {
    "local": ("local", "lokal", "kommunal"),
    "regional": ("regional", "län", "lan"),
    "national": ("national", "nationell", "statlig"),
    "eu": ("eu", "european", "europeisk", "international", "internationell"),
}

TIE_TYPES: dict[str, tuple[str, ...]] = {
    "agreement": ("agreement", "avtal", "överenskommelse", "overenskommelse"),
    "funding": ("funding", "finansiering"),
    "information": ("information", "informationsutbyte"),
    "advice": ("advice", "råd", "rad", "rådgivning", "radgivning"),
    "other": ("other", "annat", "annan"),
}

# the four codes and the words Swedish, English and EU/funding-agency exports use for them
# (samverkan.timeline reads them; SIGNED/ONGOING/CLOSED/TERMINATED are Interreg/Tillväxtverket's)
STATUSES: dict[str, tuple[str, ...]] = {
    "planned": (
        "planned",
        "planerat",
        "planerad",
        "planerade",
        "planering",
        "förberedelse",
        "submitted",
        "pending",
        "approved",
        "beviljat",
        "beviljad",
        "granted",
        "selected",
        "not started",
        "ej startat",
        "kommande",
        "upcoming",
    ),
    "active": (
        "active",
        "pågående",
        "pagaende",
        "aktiv",
        "aktivt",
        "ja",
        "yes",
        "ongoing",
        "on-going",
        "pågår",
        "running",
        "open",
        "signed",
        "in progress",
        "started",
        "startat",
        "genomförande",
        "implementation",
        "current",
        "löpande",
    ),
    "ended": (
        "ended",
        "avslutat",
        "avslutad",
        "avslutade",
        "closed",
        "nej",
        "no",
        "finished",
        "slut",
        "slutförd",
        "slutfört",
        "stängd",
        "stängt",
        "completed",
        "complete",
        "terminated",
        "ended early",
        "final",
        "slutrapporterat",
    ),
    "cancelled": ("cancelled", "canceled", "avbrutet", "avbruten", "avbrutna", "withdrawn", "återkallat", "återkallad", "rejected", "avslaget", "avslagen", "indraget", "annullerat"),
}

# key figures by gender, with Kolada's codes: T total, K kvinnor (women), M män (men)
GENDERS: dict[str, tuple[str, ...]] = {
    "T": ("T", "totalt", "total", "alla", "all", "both"),
    "K": ("K", "kvinnor", "kvinna", "women", "woman", "female", "f"),
    "M": ("M", "män", "man", "men", "male"),
}

VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "role": ROLES,
    "org_type": ORG_TYPES,
    "level": LEVELS,
    "tie_type": TIE_TYPES,
    "status": STATUSES,
    "gender": GENDERS,
}

_LOOKUPS: dict[str, dict[str, str]] = {name: {normalise_key(spelling): code for code, spellings in vocab.items() for spelling in (code, *spellings)} for name, vocab in VOCABULARIES.items()}


def canonical(vocabulary: str, value: str) -> str | None:
    """The canonical code for a spelling in a vocabulary, or None when unknown."""
    return _LOOKUPS[vocabulary].get(normalise_key(value))


def canonical_role(value: str) -> str | None:
    return canonical("role", value)


def canonical_org_type(value: str) -> str | None:
    return canonical("org_type", value)


def canonical_level(value: str) -> str | None:
    return canonical("level", value)


def vocabulary_spellings(vocabulary: str) -> list[str]:
    """Every accepted spelling, for suggestions of the closest valid value."""
    return sorted(_LOOKUPS[vocabulary])


_TABLE_LOOKUP = {normalise_key(a): t.name for t in TABLES.values() for a in (t.name, *t.aliases)}


def canonical_table(name: str) -> str | None:
    """The table a file or sheet name stands for (``Organisationer.csv`` -> organisations)."""
    return _TABLE_LOOKUP.get(normalise_key(name))


def canonical_column(table: str, header: str) -> str | None:
    """The canonical column a header stands for in a table, or None for an extra column."""
    key = normalise_key(header)
    for column in TABLES[table].columns:
        if key == column.name or key in (normalise_key(a) for a in column.aliases):
            return column.name
    return None
