"""Every word and number format of the report, in Swedish and English.

A translation is one dictionary here: :data:`TEXTS` for sentences and headings, :data:`COLUMNS`
for table headers, and small vocabularies (organisation types, levels, statuses, severities,
roles). Missing keys fail loudly (``KeyError``) so a Swedish report never shows a stray English
word. Numbers follow the language: Swedish uses a decimal comma and a no-break space between
thousands (``1 234,5``, a narrow no-break space), English a decimal point and a comma (``1,234.5``).
"""

from __future__ import annotations

import math
from numbers import Real

from ..model import LANGUAGES, ORG_TYPE_LABELS, ROLE_LABELS
from .format import format_date, format_int, format_number, format_percent, sort_key

__all__ = [
    "LANGUAGES",
    "TEXTS",
    "COLUMNS",
    "TYPE_LABELS",
    "LEVEL_LABELS",
    "STATUS_LABELS",
    "SEVERITY_LABELS",
    "SEVERITY_RANK",
    "ROLE_ORDER",
    "GROUP_BY_LABELS",
    "FILES",
    "KEY_FIGURES",
    "KEY_FIGURE_TEXTS",
    "GLOSSARY",
    "RULE_LABELS",
    "WHITE_SPOT_KIND_LABELS",
    "rule_label",
    "kind_label",
    "language",
    "text",
    "plural",
    "column_label",
    "role_label",
    "type_label",
    "level_label",
    "status_label",
    "severity_label",
    "severity_rank",
    "format_int",
    "format_number",
    "format_percent",
    "format_date",
    "sort_key",
]


ROLE_ORDER = ("owner", "lead", "steering", "reference", "working", "partner", "support", "funder", "evaluator", "benchmark")

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "kicker": "Samverkansanalys",
        "doc_title": "{name} – samverkansanalys",
        "unnamed": "Namnlöst datapaket",
        "skip": "Hoppa till innehållet",
        "toc": "Innehåll",
        "meta_data": "Data",
        "meta_no_dates": "inga datum i data",
        "meta_window": "Analysen avser",
        "window_all": "alla projekt oavsett datum",
        "window_period": "perioden {start} – {end}",
        "window_as_of": "läget den {date}",
        "meta_group_by": "Gruppering",
        "meta_privacy": "Personuppgifter",
        "pseudo_yes": "Kontaktpersoner är pseudonymiserade",
        "pseudo_no": "Kontaktpersoner är inte pseudonymiserade",
        "meta_seed": "Slumpfrö",
        "meta_version": "Programversion",
        "notes_title": "Om beräkningarna",
        "sec_summary": "Sammanfattning",
        "sec_density": "Samverkanstäthet",
        "sec_bridging": "Brobyggare",
        "sec_gaps": "Ägarskapsbrister och vita fläckar",
        "sec_communities": "Grupperingar",
        "sec_projects": "Projekten",
        "sec_network": "Nätverket",
        # summary sentences
        "s_size": "{orgs} i {projects} med {parts}.",
        "s_connected": "Nätverket hänger ihop i en enda komponent",
        "s_components": "Nätverket består av {n} separata delar; den största rymmer {share} av organisationerna",
        "s_empty": "Nätverket har inga samarbetsband ännu",
        "s_density": "tätheten är {density}, det vill säga {pct} av alla möjliga par samarbetar",
        "s_degree": "En organisation har i genomsnitt {mean} samarbetspartner",
        "s_centr_low": "och kontakterna är jämnt fördelade (gradcentralisering {value})",
        "s_centr_mid": "och samarbetet är ganska koncentrerat kring några organisationer (gradcentralisering {value})",
        "s_centr_high": "och samarbetet kretsar kring ett fåtal nav (gradcentralisering {value})",
        "s_communities": "Analysen hittar {groups} som samarbetar mest inbördes (modularitet {q}: {meaning}).",
        "mod_weak": "svag gruppindelning",
        "mod_clear": "tydlig gruppindelning",
        "mod_strong": "stark gruppindelning, med få band mellan grupperna",
        "s_ei": "E-I-indexet för {group_by} är {ei}: {meaning}.",
        "ei_inside": "de flesta band går inom grupperna",
        "ei_between": "de flesta band går mellan grupperna",
        "ei_balanced": "banden är ungefär jämnt fördelade inom och mellan grupperna",
        "key_title": "De tre viktigaste iakttagelserna",
        "k_gap": "Ägarskapsbrist i {project}: {message}",
        "k_gap_more": "Totalt {n} i {projects}; se avsnittet om ägarskapsbrister.",
        "k_no_gap": "Inga ägarskapsbrister hittades.",
        "k_bridge": "{name} är den viktigaste brobyggaren",
        "k_no_bridge": "Ingen organisation sticker ut som brobyggare.",
        "k_spots": "{n}: behov som ingen täcker, till exempel {example}",
        "k_spots_groups": "Flest vita fläckar har målgruppen {group} ({n}).",
        "k_no_spots": "Inga vita fläckar hittades.",
        # density
        "density_intro": "Nyckeltal för hela nätverket. Varje rad säger vad ett högre eller lägre värde betyder.",
        "figure": "Mått",
        "value": "Värde",
        "meaning": "Vad det betyder",
        "block_title": "Täthet inom och mellan grupper ({group_by})",
        "block_explain": "Varje ruta visar hur stor andel av de möjliga banden mellan organisationer i raden och i kolumnen som finns. Diagonalen är tätheten inom gruppen. Mörkare färg betyder högre täthet; den mörkaste rutan är {max}. Ett streck betyder att värdet inte kan beräknas, till exempel i en grupp med en enda medlem.",
        "block_capped": "Visar de {shown} största av {total} grupper; hela matrisen finns i block_density.csv.",
        "block_none": "Ingen täthetsmatris: nätverket har inga grupper att jämföra.",
        "ei_title": "E-I-index: band inom och mellan grupper",
        "ei_explain": "E-I-indexet jämför band mellan grupper (E, externa) med band inom grupper (I, interna): (E − I) / (E + I). −1 betyder att alla band går inom grupperna, +1 att alla går mellan grupperna, 0 att de är lika många. Ett högt värde för en grupp betyder att den mest samarbetar utåt; ett lågt att den håller sig för sig själv.",
        "ei_network": "Hela nätverket",
        "group": "Grupp",
        # bridging
        "bridging_intro": "Brobyggare förbinder delar av nätverket som annars har få eller inga kopplingar med varandra. Om en brobyggare slutar samverka blir vägen mellan de andra längre, eller bryts.",
        "bridging_none": "Inga brobyggare att visa.",
        "confidence_intro": "Mellanhetscentraliteten är skattad från {k} slumpvis valda startorganisationer, inte exakt beräknad. Med {confidence} % säkerhet gäller: {statements}. Värdena stämmer inom ±{margin}.",
        "confidence_all": "de {size} organisationer som har högst mellanhet är verkligen de {size} högsta",
        "confidence_one": "organisationen med högst mellanhet är verkligen den högsta",
        "confidence_shared": "{certain} av de {size} som har högst mellanhet hör säkert dit; platserna {first}–{last} kan byta plats med {names}",
        "confidence_more": "{names} och {more} till",
        "rank": "Rang",
        "orgs_title": "Alla organisationer",
        "orgs_intro": "Klicka på en kolumnrubrik för att sortera tabellen.",
        "orgs_capped": "Visar de {shown} organisationer som har högst mellanhetscentralitet, av totalt {total}. Hela tabellen finns i organisations.csv och analysis.xlsx.",
        "glossary_title": "Förklaring av måtten",
        # gaps
        "gaps_intro": "Ägarskapsbrister är projekt där ägarskap eller styrning saknas eller är oklar, en av lärdomarna från tidigare programperioder. Vita fläckar är behov som inget projekt och ingen insats täcker.",
        "by_rule": "Brister per regel",
        "by_project": "Brister per projekt",
        "no_findings": "Inga ägarskapsbrister hittades.",
        "findings_capped": "Visar de {shown} projekt som har flest brister, av {total}. Alla brister finns i findings.csv.",
        "spots_title": "Vita fläckar per målgrupp",
        "no_spots": "Inga vita fläckar hittades.",
        "spots_capped": "och {n} till; alla finns i white_spots.csv.",
        "no_target_group": "(ingen målgrupp)",
        "no_project": "Gäller organisationer, inget enskilt projekt",
        "coverage_title": "Täckning: målgrupp × kommun",
        "coverage_explain": "Varje ruta visar hur många insatser och aktiva projekt som når målgruppen i kommunen. Rutor med 0 är vita fläckar: där når ingen målgruppen. De är markerade med rosa bakgrund och streckad ram.",
        "coverage_none": "Ingen täckningsmatris: paketet har inga målgrupper kopplade till kommuner.",
        "coverage_transposed": "Kommunerna står i raderna eftersom de är många.",
        "coverage_capped": "Visar de första {shown} av {total} raderna; hela matrisen finns i coverage.csv.",
        "white_spot": "vit fläck",
        "legend_spot": "vit fläck (0): ingen täcker målgruppen här",
        "legend_covered": "täckt; mörkare = fler",
        "target_group": "Målgrupp",
        "municipality": "Kommun",
        # communities
        "communities_intro": "Grupperingar (communities) är organisationer som samarbetar mer med varandra än med resten av nätverket. De hittas med en algoritm som använder slumptal (slumpfrö {seed}); gränserna är en tolkning av mönstret, inte en formell indelning.",
        "modularity_line": "Modularitet {q}: {meaning}. Modulariteten mäter hur mycket fler band som går inom grupperna än man skulle vänta sig av en slump; över 0,3 brukar räknas som en tydlig gruppstruktur.",
        "community": "Gruppering {n}",
        "members": "Medlemmar",
        "size": "Storlek",
        "types": "Typer",
        "and_more": "och {n} till",
        "communities_capped": "Visar de {shown} största av {total} grupperingar.",
        "communities_none": "Inga grupperingar beräknades.",
        "communities_alone": "{n} bildar ingen gruppering med andra (de har få eller inga samarbeten):",
        # projects
        "projects_intro": "Parterna i varje projekt efter roll, och projektets brister.",
        "projects_capped": "Paketet har {total} projekt; här visas de {shown} som har flest brister och deltagare. Alla projekt finns i projects.csv.",
        "projects_none": "Paketet har inga projekt.",
        "overview_title": "Översikt över projekten",
        "period": "Period",
        "status": "Status",
        "part_of": "Ingår i",
        "target_groups": "Målgrupper",
        "role": "Roll",
        "parties": "Parter",
        "no_parties": "Inga parter registrerade.",
        "project_findings": "Brister",
        "no_project_findings": "Inga brister.",
        "findings_count": "{n}",
        # network
        "network_intro": "Det interaktiva nätverket: sök, filtrera och klicka på en organisation för att se detaljer. Vid utskrift visas en statisk bild i stället.",
        "network_print": "Nätverket som statisk bild.",
        "network_frame": "Interaktivt nätverk",
        "network_open": "Öppna nätverket i ett eget fönster",
        "network_none": "Ingen nätverksbild skapades i den här körningen.",
        "backbone_note": "Den interaktiva vyn visar de {shown} mest centrala av {total} organisationer.",
        "files_title": "Filer i mappen",
        "files_intro": "Länkarna fungerar när rapporten ligger kvar i samma mapp som filerna, till exempel på ett USB-minne.",
        "files_none": "Inga andra filer fanns i mappen när rapporten skrevs.",
        # footer and common
        "footer": "Skapad med samverkan {version}. Samma data och inställningar ger samma rapport. Rapporten hämtar ingenting från internet.",
        "yes": "ja",
        "no": "nej",
        "email_removed": "[e-postadress borttagen]",
        "sort_hint": "Sortera",
        "count": "Antal",
        "unknown": "(okänd)",
        "tile_findings": "Ägarskapsbrister",
        "tile_findings_info": "Ägarskapsbrister (och {n} noteringar)",
        "tile_white_spots": "Vita fläckar",
    },
    "en": {
        "kicker": "Collaboration analysis",
        "doc_title": "{name} – collaboration analysis",
        "unnamed": "Unnamed data package",
        "skip": "Skip to content",
        "toc": "Contents",
        "meta_data": "Data",
        "meta_no_dates": "no dates in the data",
        "meta_window": "Analysis covers",
        "window_all": "all projects, whatever their dates",
        "window_period": "the period {start} – {end}",
        "window_as_of": "the situation on {date}",
        "meta_group_by": "Grouping",
        "meta_privacy": "Personal data",
        "pseudo_yes": "Contact persons are pseudonymised",
        "pseudo_no": "Contact persons are not pseudonymised",
        "meta_seed": "Random seed",
        "meta_version": "Software version",
        "notes_title": "About the calculations",
        "sec_summary": "Summary",
        "sec_density": "Collaboration density",
        "sec_bridging": "Bridging actors",
        "sec_gaps": "Ownership gaps and white spots",
        "sec_communities": "Communities",
        "sec_projects": "Projects",
        "sec_network": "The network",
        "s_size": "{orgs} in {projects} with {parts}.",
        "s_connected": "The network holds together in a single component",
        "s_components": "The network falls into {n} separate parts; the largest holds {share} of the organisations",
        "s_empty": "The network has no collaboration ties yet",
        "s_density": "its density is {density}: {pct} of all possible pairs collaborate",
        "s_degree": "On average an organisation has {mean} collaboration partners",
        "s_centr_low": "and contacts are spread evenly (degree centralization {value})",
        "s_centr_mid": "and collaboration is fairly concentrated around a few organisations (degree centralization {value})",
        "s_centr_high": "and collaboration revolves around a few hubs (degree centralization {value})",
        "s_communities": "The analysis finds {groups} that mostly collaborate among themselves (modularity {q}: {meaning}).",
        "mod_weak": "weak group structure",
        "mod_clear": "clear group structure",
        "mod_strong": "strong group structure, with few ties between groups",
        "s_ei": "The E-I index by {group_by} is {ei}: {meaning}.",
        "ei_inside": "most ties stay inside groups",
        "ei_between": "most ties run between groups",
        "ei_balanced": "ties are spread about evenly inside and between groups",
        "key_title": "The three most important observations",
        "k_gap": "Ownership gap in {project}: {message}",
        "k_gap_more": "{n} in {projects} in all; see the section on ownership gaps.",
        "k_no_gap": "No ownership gaps were found.",
        "k_bridge": "{name} is the most important bridging actor",
        "k_no_bridge": "No organisation stands out as a bridging actor.",
        "k_spots": "{n}: needs that nobody covers, for example {example}",
        "k_spots_groups": "The target group with the most white spots is {group} ({n}).",
        "k_no_spots": "No white spots were found.",
        "density_intro": "Key figures for the whole network. Each row says what a higher or lower value means.",
        "figure": "Figure",
        "value": "Value",
        "meaning": "What it means",
        "block_title": "Density within and between groups ({group_by})",
        "block_explain": "Each cell shows the share of possible ties between organisations in the row and in the column that exist. The diagonal is the density within the group. Darker means denser; the darkest cell is {max}. A dash means the value cannot be computed, for example in a group with a single member.",
        "block_capped": "Showing the {shown} largest of {total} groups; the full matrix is in block_density.csv.",
        "block_none": "No density matrix: the network has no groups to compare.",
        "ei_title": "E-I index: ties inside and between groups",
        "ei_explain": "The E-I index compares ties between groups (E, external) with ties inside groups (I, internal): (E − I) / (E + I). −1 means all ties stay inside groups, +1 that all run between groups, 0 that there are as many of each. A high value for a group means it mostly collaborates outwards; a low one that it keeps to itself.",
        "ei_network": "Whole network",
        "group": "Group",
        "bridging_intro": "Bridging actors connect parts of the network that otherwise have few or no links with each other. If a bridging actor stops collaborating, the way between the others gets longer, or breaks.",
        "bridging_none": "No bridging actors to show.",
        "confidence_intro": "Betweenness is estimated from {k} randomly chosen starting organisations, not computed exactly. With {confidence} % confidence: {statements}. The values are within ±{margin}.",
        "confidence_all": "the {size} organisations with the highest betweenness are indeed the {size} highest",
        "confidence_one": "the organisation with the highest betweenness is indeed the highest",
        "confidence_shared": "{certain} of the {size} with the highest betweenness certainly belong there; places {first}–{last} may swap with {names}",
        "confidence_more": "{names} and {more} more",
        "rank": "Rank",
        "orgs_title": "All organisations",
        "orgs_intro": "Click a column header to sort the table.",
        "orgs_capped": "Showing the {shown} organisations with the highest betweenness centrality, of {total} in all. The full table is in organisations.csv and analysis.xlsx.",
        "glossary_title": "What the measures mean",
        "gaps_intro": "Ownership gaps are projects where ownership or steering is missing or unclear, one of the lessons of earlier programme periods. White spots are needs that no project or effort covers.",
        "by_rule": "Gaps by rule",
        "by_project": "Gaps by project",
        "no_findings": "No ownership gaps were found.",
        "findings_capped": "Showing the {shown} projects with the most gaps, of {total}. All gaps are in findings.csv.",
        "spots_title": "White spots by target group",
        "no_spots": "No white spots were found.",
        "spots_capped": "and {n} more; all are in white_spots.csv.",
        "no_target_group": "(no target group)",
        "no_project": "About organisations, no single project",
        "coverage_title": "Coverage: target group × municipality",
        "coverage_explain": "Each cell shows how many efforts and active projects reach the target group in the municipality. Cells with 0 are white spots: nobody reaches the target group there. They are marked with a pink background and a dashed border.",
        "coverage_none": "No coverage matrix: the package has no target groups linked to municipalities.",
        "coverage_transposed": "Municipalities are in the rows because there are many of them.",
        "coverage_capped": "Showing the first {shown} of {total} rows; the full matrix is in coverage.csv.",
        "white_spot": "white spot",
        "legend_spot": "white spot (0): nobody covers the target group here",
        "legend_covered": "covered; darker = more",
        "target_group": "Target group",
        "municipality": "Municipality",
        "communities_intro": "Communities are organisations that collaborate more with each other than with the rest of the network. They are found by an algorithm that uses random numbers (seed {seed}); the borders are a reading of the pattern, not a formal division.",
        "modularity_line": "Modularity {q}: {meaning}. Modularity measures how many more ties run inside the groups than chance would give; above 0.3 is usually read as a clear group structure.",
        "community": "Community {n}",
        "members": "Members",
        "size": "Size",
        "types": "Types",
        "and_more": "and {n} more",
        "communities_capped": "Showing the {shown} largest of {total} communities.",
        "communities_none": "No communities were computed.",
        "communities_alone": "{n} form no community with others (they have few or no collaborations):",
        "projects_intro": "The parties of each project by role, and the project's gaps.",
        "projects_capped": "The package has {total} projects; shown here are the {shown} with the most gaps and participants. All projects are in projects.csv.",
        "projects_none": "The package has no projects.",
        "overview_title": "Overview of the projects",
        "period": "Period",
        "status": "Status",
        "part_of": "Part of",
        "target_groups": "Target groups",
        "role": "Role",
        "parties": "Parties",
        "no_parties": "No parties recorded.",
        "project_findings": "Gaps",
        "no_project_findings": "No gaps.",
        "findings_count": "{n}",
        "network_intro": "The interactive network: search, filter and click an organisation to see details. When printed, a static picture is shown instead.",
        "network_print": "The network as a static picture.",
        "network_frame": "Interactive network",
        "network_open": "Open the network in a window of its own",
        "network_none": "No network picture was made in this run.",
        "backbone_note": "The interactive view shows the {shown} most central of {total} organisations.",
        "files_title": "Files in this folder",
        "files_intro": "The links work while the report stays in the same folder as the files, for example on a USB stick.",
        "files_none": "No other files were in the folder when the report was written.",
        "footer": "Made with samverkan {version}. The same data and options give the same report. The report fetches nothing from the internet.",
        "yes": "yes",
        "no": "no",
        "email_removed": "[e-mail address removed]",
        "sort_hint": "Sort",
        "count": "Count",
        "unknown": "(unknown)",
        "tile_findings": "Ownership gaps",
        "tile_findings_info": "Ownership gaps (and {n} notes)",
        "tile_white_spots": "White spots",
    },
}

# singular, plural
_NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "sv": {
        "organisation": ("organisation", "organisationer"),
        "project": ("projekt", "projekt"),
        "participation": ("deltagande", "deltaganden"),
        "tie": ("samarbetsband", "samarbetsband"),
        "group": ("grupp", "grupper"),
        "white_spot": ("vit fläck", "vita fläckar"),
        "finding": ("brist", "brister"),
    },
    "en": {
        "organisation": ("organisation", "organisations"),
        "project": ("project", "projects"),
        "participation": ("participation", "participations"),
        "tie": ("tie", "ties"),
        "group": ("group", "groups"),
        "white_spot": ("white spot", "white spots"),
        "finding": ("gap", "gaps"),
    },
}

COLUMNS: dict[str, dict[str, str]] = {
    "sv": {
        "id": "Id",
        "name": "Namn",
        "type": "Typ",
        "level": "Nivå",
        "municipality": "Kommun",
        "region": "Region",
        "degree": "Grad",
        "weighted_degree": "Viktad grad",
        "betweenness": "Mellanhet",
        "betweenness_weighted": "Viktad mellanhet",
        "closeness": "Närhet",
        "eigenvector": "Egenvektor",
        "effective_size": "Effektiv storlek",
        "efficiency": "Effektivitet",
        "constraint": "Begränsning",
        "articulation_point": "Snittnod",
        "community": "Gruppering",
        "participation_coefficient": "Deltagandekoefficient",
        "brokerage_coordinator": "Koordinator",
        "brokerage_itinerant": "Konsult",
        "brokerage_consultant": "Konsult",
        "brokerage_representative": "Representant",
        "brokerage_gatekeeper": "Grindvakt",
        "brokerage_liaison": "Förbindelselänk",
        "brokerage_total": "Mäklarroller",
        "removal_disconnects": "Splittrar vid bortfall",
        "cross_sector_breadth": "Sektorsbredd",
        "score": "Poäng",
        "reasons": "Skäl",
        "rank": "Rang",
        "rule": "Regel",
        "severity": "Allvarlighet",
        "project": "Projekt",
        "project_name": "Projekt",
        "organisations": "Organisationer",
        "message": "Beskrivning",
        "kind": "Slag",
        "target_group": "Målgrupp",
        "target_group_name": "Målgrupp",
        "detail": "Detalj",
        "parent": "Ingår i",
        "start": "Start",
        "end": "Slut",
        "status": "Status",
        "owners": "Projektägare",
        "leads": "Projektledning",
        "steering": "Styrgrupp",
        "working": "Projektgrupp",
        "findings": "Brister",
        "worst_severity": "Allvarligaste brist",
        "participants": "Deltagare",
        "participations": "Deltaganden",
        "shared_projects": "Gemensamma projekt",
        "budget": "Budget",
        "funder": "Finansiär",
        "count": "Antal",
    },
    "en": {
        "id": "Id",
        "name": "Name",
        "type": "Type",
        "level": "Level",
        "municipality": "Municipality",
        "region": "Region",
        "degree": "Degree",
        "weighted_degree": "Weighted degree",
        "betweenness": "Betweenness",
        "betweenness_weighted": "Weighted betweenness",
        "closeness": "Closeness",
        "eigenvector": "Eigenvector",
        "effective_size": "Effective size",
        "efficiency": "Efficiency",
        "constraint": "Constraint",
        "articulation_point": "Cut point",
        "community": "Community",
        "participation_coefficient": "Participation coefficient",
        "brokerage_coordinator": "Coordinator",
        "brokerage_itinerant": "Consultant",
        "brokerage_consultant": "Consultant",
        "brokerage_representative": "Representative",
        "brokerage_gatekeeper": "Gatekeeper",
        "brokerage_liaison": "Liaison",
        "brokerage_total": "Brokerage roles",
        "removal_disconnects": "Disconnects if removed",
        "cross_sector_breadth": "Cross-sector breadth",
        "score": "Score",
        "reasons": "Reasons",
        "rank": "Rank",
        "rule": "Rule",
        "severity": "Severity",
        "project": "Project",
        "project_name": "Project",
        "organisations": "Organisations",
        "message": "Description",
        "kind": "Kind",
        "target_group": "Target group",
        "target_group_name": "Target group",
        "detail": "Detail",
        "parent": "Part of",
        "start": "Start",
        "end": "End",
        "status": "Status",
        "owners": "Owners",
        "leads": "Project lead",
        "steering": "Steering group",
        "working": "Working group",
        "findings": "Gaps",
        "worst_severity": "Worst gap",
        "participants": "Participants",
        "participations": "Participations",
        "shared_projects": "Shared projects",
        "budget": "Budget",
        "funder": "Funder",
        "count": "Count",
    },
}

# One sentence per metric shown in the organisations table.
GLOSSARY: dict[str, dict[str, str]] = {
    "sv": {
        "degree": "antal organisationer som organisationen samarbetar direkt med.",
        "weighted_degree": "graden där varje band väger efter hur mycket parterna samarbetar.",
        "betweenness": "hur ofta organisationen ligger på den kortaste vägen mellan två andra; högt värde = brobyggare.",
        "closeness": "hur nära organisationen i genomsnitt har till alla andra; högt värde = når snabbt ut i nätverket.",
        "eigenvector": "hur välkopplade organisationens partner själva är; högt värde = nära nätverkets kärna.",
        "constraint": "hur mycket organisationens kontakter redan känner varandra (Burt); lågt värde = har tillgång till strukturella hål.",
        "effective_size": "antal partner som inte känner varandra (Burt); högt värde = många oberoende kontakter.",
        "articulation_point": "ja om nätverket faller isär när organisationen försvinner.",
        "participation_coefficient": "hur jämnt organisationens band fördelas över grupperingarna; nära 1 = samarbetar med många grupper.",
        "cross_sector_breadth": "antal olika typer av organisationer som den samarbetar med.",
        "removal_disconnects": "hur många organisationer som tappar kontakten med resten om denna försvinner.",
    },
    "en": {
        "degree": "number of organisations it collaborates with directly.",
        "weighted_degree": "degree where each tie counts by how much the two collaborate.",
        "betweenness": "how often it lies on the shortest path between two others; high = bridging actor.",
        "closeness": "how close it is on average to all others; high = reaches the network quickly.",
        "eigenvector": "how well connected its partners are themselves; high = near the core of the network.",
        "constraint": "how much its contacts already know each other (Burt); low = access to structural holes.",
        "effective_size": "number of partners who do not know each other (Burt); high = many independent contacts.",
        "articulation_point": "yes if the network falls apart when it disappears.",
        "participation_coefficient": "how evenly its ties spread over the communities; near 1 = works with many groups.",
        "cross_sector_breadth": "number of different kinds of organisation it collaborates with.",
        "removal_disconnects": "how many organisations lose contact with the rest if it disappears.",
    },
}

# (summary key, kind) in display order; kind: int, number, percent, ei
KEY_FIGURES: tuple[tuple[str, str], ...] = (
    ("organisations", "int"),
    ("projects", "int"),
    ("participations", "int"),
    ("ties", "int"),
    ("density", "number"),
    ("weighted_density", "number"),
    ("mean_degree", "number"),
    ("components", "int"),
    ("largest_component_share", "percent"),
    ("isolates", "int"),
    ("transitivity", "number"),
    ("degree_centralization", "number"),
    ("communities", "int"),
    ("communities_min2", "int"),
    ("modularity", "number"),
    ("ei_index", "number"),
)

KEY_FIGURE_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "sv": {
        "organisations": ("Organisationer", "Antal organisationer i analysen."),
        "projects": ("Projekt", "Antal projekt i datapaketet."),
        "participations": ("Deltaganden", "Antal gånger en organisation deltar i ett projekt i någon roll."),
        "ties": ("Samarbetsband", "Par av organisationer som delar minst ett projekt eller har en direkt relation."),
        "density": ("Täthet", "Andelen av alla möjliga par som samarbetar (0–1). Högre: fler arbetar direkt med varandra. Lägre: samarbetet går genom få kanaler."),
        "weighted_density": (
            "Viktad täthet",
            "Genomsnittlig styrka per möjligt par, där ett band väger efter hur mycket parterna samarbetar och par utan band räknas som 0. Högre: starkare samarbete i genomsnitt. Kan bli större än 1.",
        ),
        "mean_degree": ("Medelgrad", "Genomsnittligt antal samarbetspartner per organisation. Högre: varje organisation har fler direkta kontakter."),
        "components": ("Komponenter", "Delar av nätverket utan koppling till varandra. 1: alla kan nå alla via samarbeten. Fler: isolerade öar."),
        "largest_component_share": ("Största komponentens andel", "Andelen organisationer i den största sammanhängande delen. Nära 100 %: nätverket hänger ihop."),
        "isolates": ("Isolerade organisationer", "Organisationer utan någon samarbetspartner i data. Fler: fler står utanför samverkan."),
        "transitivity": ("Transitivitet", "Hur ofta två partner till samma organisation också samarbetar med varandra (0–1). Högre: tätt sammanvävda grupper. Lägre: samarbetet går via mellanhänder."),
        "degree_centralization": ("Gradcentralisering", "Hur mycket samarbetet kretsar kring en enda organisation (0–1). Nära 1: ett nav som alla samarbetar med. Nära 0: jämnt fördelade kontakter."),
        "communities": ("Grupperingar", "Antal grupper som samarbetar mer med varandra än med andra, ensamma organisationer medräknade."),
        "communities_min2": ("Grupperingar med minst två", "Grupperingar med två eller fler organisationer. Fler: samverkan sker i flera skilda kretsar."),
        "modularity": ("Modularitet", "Hur tydligt nätverket delas i grupperingar. Över 0,3: tydliga grupper. Nära 0: ingen gruppstruktur."),
        "ei_index": ("E-I-index", "Band mellan grupper jämfört med band inom grupper. −1: alla band inom grupperna. +1: alla mellan grupperna."),
    },
    "en": {
        "organisations": ("Organisations", "Number of organisations in the analysis."),
        "projects": ("Projects", "Number of projects in the data package."),
        "participations": ("Participations", "Number of times an organisation takes part in a project in some role."),
        "ties": ("Collaboration ties", "Pairs of organisations that share at least one project or have a direct relation."),
        "density": ("Density", "Share of all possible pairs that collaborate (0–1). Higher: more work directly with each other. Lower: collaboration runs through few channels."),
        "weighted_density": (
            "Weighted density",
            "Mean strength per possible pair, where a tie counts by how much the two collaborate and pairs without a tie count 0. Higher: stronger collaboration on average. Can exceed 1.",
        ),
        "mean_degree": ("Mean degree", "Average number of collaboration partners per organisation. Higher: each organisation has more direct contacts."),
        "components": ("Components", "Parts of the network with no link to each other. 1: everyone can reach everyone through collaborations. More: isolated islands."),
        "largest_component_share": ("Share in the largest component", "Share of organisations in the largest connected part. Near 100%: the network holds together."),
        "isolates": ("Isolated organisations", "Organisations without any collaboration partner in the data. More: more stand outside collaboration."),
        "transitivity": (
            "Transitivity",
            "How often two partners of the same organisation also collaborate with each other (0–1). Higher: tightly knit groups. Lower: collaboration runs through intermediaries.",
        ),
        "degree_centralization": ("Degree centralization", "How much collaboration revolves around a single organisation (0–1). Near 1: one hub everyone works with. Near 0: contacts spread evenly."),
        "communities": ("Communities", "Number of groups that collaborate more with each other than with others, organisations on their own included."),
        "communities_min2": ("Communities of two or more", "Communities with two or more organisations. More: collaboration happens in several separate circles."),
        "modularity": ("Modularity", "How clearly the network splits into communities. Above 0.3: clear groups. Near 0: no group structure."),
        "ei_index": ("E-I index", "Ties between groups compared with ties inside groups. −1: all ties inside groups. +1: all between groups."),
    },
}

TYPE_LABELS = ORG_TYPE_LABELS

LEVEL_LABELS = {
    "sv": {"local": "lokal", "regional": "regional", "national": "nationell", "eu": "EU/internationell"},
    "en": {"local": "local", "regional": "regional", "national": "national", "eu": "EU/international"},
}

STATUS_LABELS = {
    "sv": {"planned": "planerat", "active": "pågående", "ended": "avslutat", "cancelled": "avbrutet"},
    "en": {"planned": "planned", "active": "active", "ended": "ended", "cancelled": "cancelled"},
}

GROUP_BY_LABELS = {
    "sv": {"type": "organisationstyp", "level": "nivå", "municipality": "kommun", "region": "region", "community": "gruppering"},
    "en": {"type": "organisation type", "level": "level", "municipality": "municipality", "region": "region", "community": "community"},
}

RULE_LABELS = {
    "sv": {
        "no-owner": "Saknar projektägare",
        "owner-from-parent": "Ägarskapet ligger hos huvudprojektet",
        "multiple-owners": "Flera projektägare",
        "no-steering-group": "Saknar styrgrupp",
        "steering-from-parent": "Styrs av huvudprojektets styrgrupp",
        "owner-not-in-steering": "Projektägaren sitter inte i styrgruppen",
        "implementers-outside-steering": "Genomförare utanför styrgruppen",
        "role-without-contact": "Roll utan kontaktperson",
        "key-person-dependency": "Hänger på en nyckelperson",
        "single-organisation-project": "Bara en organisation deltar",
        "ended-without-receiver": "Avslutat utan mottagare av resultaten",
    },
    "en": {
        "no-owner": "No project owner",
        "owner-from-parent": "Ownership lies with the parent project",
        "multiple-owners": "Several project owners",
        "no-steering-group": "No steering group",
        "steering-from-parent": "Steered by the parent project's steering group",
        "owner-not-in-steering": "Owner not in the steering group",
        "implementers-outside-steering": "Implementers outside the steering group",
        "role-without-contact": "Role without a contact person",
        "key-person-dependency": "Depends on one key person",
        "single-organisation-project": "Only one organisation takes part",
        "ended-without-receiver": "Ended with nobody to take up the results",
    },
}

WHITE_SPOT_KIND_LABELS = {
    "sv": {
        "target-group-without-project": "inget aktivt projekt",
        "target-group-only-gap-projects": "bara projekt med brister",
        "white-spot": "vit fläck",
        "effort-gap": "bara projekt, ingen insats",
    },
    "en": {
        "target-group-without-project": "no active project",
        "target-group-only-gap-projects": "only projects with gaps",
        "white-spot": "white spot",
        "effort-gap": "projects only, no effort",
    },
}

# Severity spellings the metrics may use, mapped to a rank (higher = more serious) and a label key.
SEVERITY_RANK = {
    "critical": 4,
    "kritisk": 4,
    "high": 3,
    "error": 3,
    "hög": 3,
    "hog": 3,
    "allvarlig": 3,
    "major": 3,
    "medium": 2,
    "warning": 2,
    "medel": 2,
    "varning": 2,
    "moderate": 2,
    "low": 1,
    "info": 1,
    "information": 1,
    "note": 1,
    "låg": 1,
    "lag": 1,
    "minor": 1,
}
SEVERITY_LABELS = {
    "sv": {4: "kritisk", 3: "allvarlig brist", 2: "varning", 1: "information"},
    "en": {4: "critical", 3: "serious gap", 2: "warning", 1: "information"},
}

# Sibling files the report links to, in display order: (file name, Swedish, English).
# contact_ties.csv is left out on purpose: it holds contact persons (personal data), and the
# report is made to be handed on.
FILES: tuple[tuple[str, str, str], ...] = (
    ("network.html", "Interaktivt nätverk av organisationer", "Interactive network of organisations"),
    ("two_mode.html", "Organisationer och projekt (tvålägesnätverk)", "Organisations and projects (two-mode network)"),
    ("efforts.html", "Insatser som tabell", "Efforts as a table"),
    ("map.html", "Insatskarta: insatser och vita fläckar per kommun", "Map of efforts and white spots by municipality"),
    ("map.svg", "Kartbild (SVG, för tryck)", "Map picture (SVG, for print)"),
    ("map.png", "Kartbild (PNG)", "Map picture (PNG)"),
    ("network.svg", "Nätverksbild (SVG, för tryck)", "Network picture (SVG, for print)"),
    ("network.png", "Nätverksbild (PNG)", "Network picture (PNG)"),
    ("analysis.xlsx", "Alla tabeller i en Excel-fil", "Every table in one Excel workbook"),
    ("organisations.csv", "Organisationer med alla nätverksmått", "Organisations with every network measure"),
    ("ties.csv", "Samarbetsband", "Collaboration ties"),
    ("projects.csv", "Projekt", "Projects"),
    ("findings.csv", "Ägarskapsbrister och noteringar", "Ownership gaps and notes"),
    ("white_spots.csv", "Vita fläckar", "White spots"),
    ("key_players.csv", "Nyckelaktörer", "Key players"),
    ("suggestions.csv", "Förslag: vem kan täcka en vit fläck", "Suggestions: who could close a white spot"),
    ("missing_ties.csv", "Saknade band", "Missing ties"),
    ("key_figures.csv", "Nyckeltal bredvid nätverket", "Key figures beside the network"),
    ("bridging_actors.csv", "Brobyggare", "Bridging actors"),
    ("coverage.csv", "Täckning per målgrupp och kommun", "Coverage by target group and municipality"),
    ("block_density.csv", "Täthet inom och mellan grupper", "Density within and between groups"),
    ("summary.json", "Nyckeltal (JSON)", "Key figures (JSON)"),
    ("graph.graphml", "Grafen för Gephi, yEd och igraph (GraphML)", "The graph for Gephi, yEd and igraph (GraphML)"),
    ("graph.gexf", "Grafen för Gephi (GEXF)", "The graph for Gephi (GEXF)"),
    ("graph.json", "Grafen som JSON (node-link)", "The graph as JSON (node-link)"),
)


def language(lang) -> str:
    """The report language for an option value: ``"sv"`` or ``"en"`` (anything else is English).

    >>> language("sv"), language("SV"), language("en"), language(None)
    ('sv', 'sv', 'en', 'en')
    """
    return "sv" if str(lang or "").lower().startswith("sv") else "en"


def text(lang: str, key: str, **values) -> str:
    """The text ``key`` in ``lang`` with ``{placeholders}`` filled.

    >>> text("sv", "window_as_of", date="2014-06-30")
    'läget den 2014-06-30'
    """
    template = TEXTS[lang][key]
    return template.format(**values) if values else template


def plural(lang: str, n: int, noun: str) -> str:
    """``n`` with its noun, in the right number: ``1 projekt``, ``3 organisationer``.

    >>> plural("sv", 1, "white_spot"), plural("sv", 1234, "organisation"), plural("en", 2, "tie")
    ('1 vit fläck', '1\\u202f234 organisationer', '2 ties')
    """
    singular, many = _NOUNS[lang][noun]
    return f"{format_int(n, lang)} {singular if n == 1 else many}"


def column_label(lang: str, column: str) -> str:
    """The header of a column; unknown columns by name with spaces for underscores."""
    return COLUMNS[lang].get(column, str(column).replace("_", " "))


def role_label(lang: str, role: str) -> str:
    """``owner`` -> ``projektägare``; an unknown role as given."""
    return ROLE_LABELS[lang].get(role, role)


def type_label(lang: str, code: str) -> str:
    """``ngo`` -> ``ideell organisation``; an unknown type as given."""
    return TYPE_LABELS[lang].get(code, code)


def rule_label(lang: str, code: str) -> str:
    """A short name for a finding's rule code; an unknown code as given."""
    return RULE_LABELS[lang].get(code, str(code).replace("-", " "))


def kind_label(lang: str, code: str) -> str:
    """A short name for a kind of white spot; an unknown kind as given."""
    return WHITE_SPOT_KIND_LABELS[lang].get(code, str(code).replace("-", " "))


def level_label(lang: str, code: str) -> str:
    return LEVEL_LABELS[lang].get(code, code)


def status_label(lang: str, code: str) -> str:
    return STATUS_LABELS[lang].get(code, code)


def severity_rank(value) -> int:
    """Rank of a severity (4 critical … 1 information, 0 unknown); numbers are taken as ranks.

    >>> severity_rank("error"), severity_rank("Warning"), severity_rank(None), severity_rank(3)
    (3, 2, 0, 3)
    """
    if isinstance(value, Real) and not isinstance(value, bool):
        return int(value) if math.isfinite(float(value)) else 0
    return SEVERITY_RANK.get(str(value or "").strip().lower(), 0)


def severity_label(lang: str, value) -> str:
    """The label of a severity; an unknown severity as given."""
    rank = severity_rank(value)
    return SEVERITY_LABELS[lang].get(rank, str(value or ""))


# ----------------------------------------------------------------------------------------------
# Issue 12: one word per severity (gaps = errors and warnings, notes = info), the reference date,
# plain language first, the computation notes in an appendix, and "more of the same".

SEVERITY_LABELS["sv"].update({3: "allvarlig brist", 2: "brist", 1: "notering"})
SEVERITY_LABELS["en"].update({3: "serious gap", 2: "gap", 1: "note"})

_ISSUE12_TEXTS = {
    "sv": {
        "notes_title": "Om beräkningarna",
        "meta_as_of": "Referensdatum",
        "as_of_value": "{date}: {why}",
        "sec_appendix": "Bilaga: så räknades det",
        "appendix_intro": "Här står hur måtten räknades, för den som vill granska eller upprepa analysen. Ingenting här behövs för att läsa rapporten.",
        "what_title": "Vad rapporten visar",
        "what_text": "Rapporten visar vilka organisationer som samarbetar i projekten: hur tätt nätverket är, vilka organisationer som binder ihop det (brobyggare), var ägarskap eller styrning brister och vilka behov ingen täcker (vita fläckar). Två organisationer har ett samarbetsband när de har varit med i minst ett gemensamt projekt.",
        "as_of_sentence": "Om ett projekt pågår eller är avslutat avgörs per den {date}: {why}. Står det i data att projektet pågår eller är avslutat går det före datumen.",
        "sub_separate": "Delprojekt räknas som egna projekt: två organisationer som är med i ett huvudprojekt och i två av dess delprojekt delar alltså tre projekt, vilket gör deras band starkare. Med --sub-projects merge räknas de en gång.",
        "sub_merge": "Delprojekt räknas ihop med sitt huvudprojekt: den som deltar i ett delprojekt räknas som deltagare i huvudprojektet, en gång.",
        "partial_sentence": "Underlaget listar bara en del av parterna i {n} (till exempel bara de svenska). Där kan projektägaren eller styrgruppen finnas bland dem som inte är med, så det som saknas där är noteringar, inte brister. Av samma skäl kan organisationer som ser ut att stå ensamma, och delar av nätverket som ser ut att sakna kontakt med varandra, vara förbundna genom parter som inte finns i underlaget.",
        "s_gaps": "Granskningen av ägarskap och styrning gav {gaps} och {notes}. Brister är fel och varningar; noteringar är upplysningar som inte räknas som brister.",
        "k_gap_more": "Totalt {n} i {projects}; se avsnittet om ägarskapsbrister.",
        "k_no_gap_notes": "Inga ägarskapsbrister hittades. {notes} finns i avsnittet om ägarskapsbrister; de räknas inte som brister.",
        "by_rule": "Brister och noteringar per regel",
        "rule_examples": "Exempel",
        "kind_col": "Slag",
        "by_project": "Projekt med brister",
        "findings_capped": "Visar {shown} av {total} projekt med brister, de med flest och allvarligast brister först.",
        "findings_files": "Alla brister och noteringar, projekt för projekt, finns i findings.csv och analysis.xlsx.",
        "no_gap_projects": "Inget projekt har brister. Noteringarna ovan räknas inte som brister.",
        "project_notes": "Noteringar",
        "projects_intro": "Parterna i varje projekt efter roll, och projektets brister och noteringar.",
        "projects_gaps_only": "Paketet har {total} projekt, för många att visa ett och ett. Här visas de {shown} projekt som har flest brister. Alla projekt med sina parter finns i projects.csv och analysis.xlsx.",
        "projects_none_shown": "Paketet har {total} projekt och inget av dem har brister, så inga projekt visas ett och ett. Alla projekt finns i projects.csv och analysis.xlsx.",
        "bridging_score": "Poängen går från 0 till 1. Den jämför organisationen med de {n} organisationer som har minst en partner, på fem sätt: hur ofta den ligger på kortaste vägen mellan två andra (mellanhetscentralitet), hur lite dess partner samarbetar med varandra (låg begränsning), hur ofta den förmedlar mellan organisationer av olika slag, hur spridda dess band är över grupperingarna och om någon förlorar kontakten med nätverket om den försvinner. För varje sätt räknas andelen av de andra som den slår; poängen är medelvärdet. 1 betyder bäst av alla på alla fem, 0,5 ungefär mitt i.",
        "bridging_lead": "{name} har högst poäng ({score}). Det betyder: {reasons}.",
        "orgs_capped": "Visar de {shown} organisationer som har högst mellanhetscentralitet, av totalt {total}. Hela tabellen finns i organisations.csv och analysis.xlsx.",
        "more_same_title": "Samma partner igen?",
        "more_same_ties": "Av {ties} genom gemensamma projekt vilar {repeated} ({pct}) på två eller fler gemensamma projekt; resten på ett enda.",
        "more_same_projects": "Av {projects} med minst två parter och ett startdatum har {repeats} ({pct}) bara parter som redan arbetat tillsammans, alla i ett och samma tidigare projekt: de för inte samman någon ny.",
        "more_same_meaning_high": "Samarbetet upprepas alltså ofta: samma parter möts igen i nya projekt.",
        "more_same_meaning_low": "Samarbetet upprepas alltså sällan: de flesta band är engångsband, och nya projekt för oftast samman nya parter.",
        "more_same_meaning_mid": "En del av samarbetet upprepas, men de flesta nya projekt för in någon ny part.",
        "coverage_spots_count": "Matrisen har {n} tomma rutor (0), markerade med rosa bakgrund.",
        "coverage_spots_other": "Av rapportens {total} vita fläckar är de övriga {n} av ett annat slag som ingen ruta visar, till exempel en målgrupp som inget aktivt projekt når alls; de står i listan ovan.",
    },
    "en": {
        "notes_title": "About the computations",
        "meta_as_of": "Reference date",
        "as_of_value": "{date}: {why}",
        "sec_appendix": "Appendix: how it was computed",
        "appendix_intro": "How the measures were computed, for anyone who wants to check or repeat the analysis. Nothing here is needed to read the report.",
        "what_title": "What this report shows",
        "what_text": "The report shows which organisations work together in the projects: how dense the network is, which organisations hold it together (bridging actors), where ownership or steering is missing, and which needs no one covers (white spots). Two organisations have a collaboration tie when they have taken part in at least one project together.",
        "as_of_sentence": "Whether a project is running or has ended is decided as of {date}: {why}. Where the data says a project is running or has ended, that comes before the dates.",
        "sub_separate": "Sub-projects count as projects of their own: two organisations in a main project and in two of its sub-projects share three projects, which makes their tie stronger. With --sub-projects merge they count once.",
        "sub_merge": "Sub-projects are merged into their main project: taking part in a sub-project counts as taking part in the main project, once.",
        "partial_sentence": "The data lists only some of the partners of {n} (for example only the Swedish ones). The owner or steering group may be among those not listed, so what is missing there is a note, not a gap. For the same reason, organisations that look isolated, and parts of the network that look cut off from each other, may be linked through partners not in the data.",
        "s_gaps": "The review of ownership and steering found {gaps} and {notes}. Gaps are errors and warnings; notes are information and are not counted as gaps.",
        "k_gap_more": "{n} in {projects} in all; see the section on ownership gaps.",
        "k_no_gap_notes": "No ownership gaps were found. {notes} are in the section on ownership gaps; they are not gaps.",
        "by_rule": "Gaps and notes by rule",
        "rule_examples": "Examples",
        "kind_col": "Kind",
        "by_project": "Projects with gaps",
        "findings_capped": "Showing {shown} of {total} projects with gaps, those with the most and most serious gaps first.",
        "findings_files": "Every gap and note, project by project, is in findings.csv and analysis.xlsx.",
        "no_gap_projects": "No project has gaps. The notes above are not gaps.",
        "project_notes": "Notes",
        "projects_intro": "The parties of each project by role, and the project's gaps and notes.",
        "projects_gaps_only": "The package has {total} projects, too many to show one by one. Shown here are the {shown} projects with the most gaps. Every project with its parties is in projects.csv and analysis.xlsx.",
        "projects_none_shown": "The package has {total} projects and none has gaps, so no project is shown one by one. Every project is in projects.csv and analysis.xlsx.",
        "bridging_score": "The score runs from 0 to 1. It compares the organisation with the {n} organisations that have at least one partner, in five ways: how often it lies on the shortest path between two others (betweenness), how little its partners work with each other (low constraint), how often it brokers between organisations of different kinds, how spread its ties are over the communities, and whether anyone loses contact with the network without it. For each way it counts the share of the others it beats; the score is the mean. 1 means best of all in all five ways, 0.5 about the middle.",
        "bridging_lead": "{name} has the highest score ({score}). This means: {reasons}.",
        "orgs_capped": "Showing the {shown} organisations with the highest betweenness, of {total}. The whole table is in organisations.csv and analysis.xlsx.",
        "more_same_title": "The same partners again?",
        "more_same_ties": "Of {ties} through shared projects, {repeated} ({pct}) rest on two or more shared projects; the rest on a single one.",
        "more_same_projects": "Of {projects} with at least two parties and a start date, {repeats} ({pct}) bring together only parties who had all worked together in one earlier project: they bring no one new together.",
        "more_same_meaning_high": "Collaboration repeats often: the same parties meet again in new projects.",
        "more_same_meaning_low": "Collaboration rarely repeats: most ties are one-off, and new projects mostly bring new parties together.",
        "more_same_meaning_mid": "Some collaboration repeats, but most new projects bring in a new party.",
        "coverage_spots_count": "The matrix has {n} empty cells (0), marked with a pink background.",
        "coverage_spots_other": "Of the report's {total} white spots, the other {n} are of a kind no cell shows, for example a target group that no running project reaches at all; they are in the list above.",
    },
}
for _lang, _texts in _ISSUE12_TEXTS.items():
    TEXTS[_lang].update(_texts)
_NOUNS["sv"].update({"note": ("notering", "noteringar"), "gap": ("brist", "brister"), "tie_pair": ("samarbetsband", "samarbetsband")})
_NOUNS["en"].update({"note": ("note", "notes"), "gap": ("gap", "gaps"), "tie_pair": ("tie", "ties")})
