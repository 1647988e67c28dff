"""User-interface texts of the views, in Swedish and English.

Every word a view shows comes from here, so a translation is one dictionary and a missing key
fails loudly in the tests rather than showing an English word on a Swedish page.
"""

from __future__ import annotations

from samverkan.model import LANGUAGES, ORG_TYPE_LABELS, check_lang
from .format import format_int, format_number, sort_key

__all__ = [
    "LANGUAGES",
    "TEXTS",
    "TYPE_LABELS",
    "METRIC_LABELS",
    "check_lang",
    "text",
    "type_label",
    "metric_label",
    "format_int",
    "format_number",
    "sort_key",
]


TYPE_LABELS: dict[str, dict[str, str]] = {lang: {**labels, "project": "projekt" if lang == "sv" else "project"} for lang, labels in ORG_TYPE_LABELS.items()}

METRIC_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "degree": "antal samarbetspartner (grad)",
        "weighted_degree": "viktad grad",
        "betweenness": "mellanhetscentralitet",
        "betweenness_weighted": "viktad mellanhetscentralitet",
        "closeness": "närhetscentralitet",
        "eigenvector": "egenvektorcentralitet",
        "constraint": "begränsning (Burt)",
        "effective_size": "effektiv storlek (Burt)",
        "participation_coefficient": "deltagandekoefficient",
        "shared_projects": "gemensamma projekt",
    },
    "en": {
        "degree": "number of partners (degree)",
        "weighted_degree": "weighted degree",
        "betweenness": "betweenness centrality",
        "betweenness_weighted": "weighted betweenness centrality",
        "closeness": "closeness centrality",
        "eigenvector": "eigenvector centrality",
        "constraint": "constraint (Burt)",
        "effective_size": "effective size (Burt)",
        "participation_coefficient": "participation coefficient",
        "shared_projects": "shared projects",
    },
}

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "search": "Sök organisation",
        "search_placeholder": "Skriv ett namn …",
        "search_none": "Ingen träff",
        "search_hidden": "{n} träffar döljs av filtren",
        "search_hidden_one": "1 träff döljs av filtren",
        "filters": "Filter",
        "all": "Alla",
        "type": "Typ",
        "municipality": "Kommun",
        "region": "Region",
        "community": "Grupp",
        "community_value": "Grupp {value}",
        "project": "Projekt",
        "level": "Nivå",
        "reset": "Rensa filter",
        "fit": "Visa hela nätverket",
        "legend": "Teckenförklaring",
        "colour": "Färg",
        "size": "Storlek",
        "size_explained": "Storleken visar {metric}.",
        "bridging": "Brobyggare (tjock svart kant)",
        "articulation": "Artikulationspunkt (romb): utan den faller nätverket isär",
        "edge_width": "Linjens tjocklek visar antal gemensamma projekt.",
        "labels_note": "Namn visas för de viktigaste; håll muspekaren över en nod för att se fler.",
        "other_values": "övriga",
        "missing_value": "uppgift saknas",
        "counter": "{shown} organisationer visas av {total}",
        "counter_one": "{shown} organisation visas av {total}",
        "counter_two_mode": "{orgs} organisationer och {projects} projekt visas av {total} noder",
        "backbone": (
            "Visar de {shown} mest centrala av {total} organisationer, rangordnade efter {metric}. "
            "{hidden} organisationer och {hidden_edges} samarbeten visas inte här; "
            "använd en egovy eller ett urval för att se dem."
        ),
        "figure_backbone": "Visar de {shown} mest centrala av {total} organisationer.",
        "details": "Vald organisation",
        "details_none": "Klicka på en nod för att se detaljer; dra för att flytta vyn, scrolla för att zooma.",
        "close": "Stäng",
        "neighbours": "Samarbetar med",
        "more": "och {n} till",
        "name": "Namn",
        "roles": "Roller",
        "projects": "Projekt",
        "shared_projects": "{n} gemensamma projekt",
        "shared_project_one": "1 gemensamt projekt",
        "tie_type": "Typ av relation",
        "bridging_short": "Brobyggare",
        "articulation_short": "Artikulationspunkt",
        "ego": "Organisationen i centrum",
        "ego_title": "Nätverket runt {name}",
        "organisation": "Organisation",
        "participants": "Deltagande organisationer",
        "backbone_two_mode": (
            "Visar de {shown} mest centrala av {total} noder (organisationer och projekt), rangordnade efter {metric}. {hidden} noder och {hidden_edges} deltaganden visas inte här."
        ),
        "role": "Roll",
        "roles_legend": "Roll i projektet (linjens färg)",
        "no_js": "Nätverksvyn kräver att JavaScript är påslaget i webbläsaren.",
        "generated": "Skapad med samverkan",
        "view_label": "Nätverksvy",
        # efforts page
        "efforts_title": "Insatskarta",
        "map_link": "Insatserna på karta (map.html)",
        "efforts_heading": "Insatser",
        "efforts_search": "Sök insats eller organisation",
        "target_group": "Målgrupp",
        "effort": "Insats",
        "organisation_type": "Typ av organisation",
        "target_groups": "Målgrupper",
        "municipalities": "Kommuner",
        "efforts_counter": "{shown} av {total} insatser visas",
        "coverage": "Täckning: målgrupp × kommun",
        "coverage_shared": "Matrisen är analysens täckningsmatris: den räknar insatser och pågående projekt, så dess vita fläckar är desamma som i rapporten och white_spots.csv.",
        "coverage_explained": (
            "Antal insatser som finns för varje målgrupp i varje kommun. Tomma rutor (vita fläckar) är markerade: där finns ingen insats. Klicka på en ruta för att filtrera tabellen."
        ),
        "white_spot": "vit fläck: ingen insats",
        "white_spots_count": "{n} vita fläckar av {total} kombinationer",
        "unspecified_municipalities": "Insatser utan angivna kommuner: {n} (räknas inte i matrisen).",
        "unspecified_target_groups": "Insatser utan angivna målgrupper: {n} (räknas inte i matrisen).",
        "sort_hint": "Klicka på en kolumnrubrik för att sortera.",
        "total": "Totalt",
        "no_rows": "Inga insatser matchar filtren.",
    },
    "en": {
        "search": "Find an organisation",
        "search_placeholder": "Type a name …",
        "search_none": "No match",
        "search_hidden": "{n} matches are hidden by the filters",
        "search_hidden_one": "1 match is hidden by the filters",
        "filters": "Filters",
        "all": "All",
        "type": "Type",
        "municipality": "Municipality",
        "region": "Region",
        "community": "Community",
        "community_value": "Community {value}",
        "project": "Project",
        "level": "Level",
        "reset": "Clear filters",
        "fit": "Show the whole network",
        "legend": "Legend",
        "colour": "Colour",
        "size": "Size",
        "size_explained": "Size shows {metric}.",
        "bridging": "Bridging actor (thick black border)",
        "articulation": "Articulation point (diamond): without it the network falls apart",
        "edge_width": "Line width shows the number of shared projects.",
        "labels_note": "Names are shown for the most important; hover over a node to see more.",
        "other_values": "others",
        "missing_value": "not given",
        "counter": "{shown} of {total} organisations shown",
        "counter_one": "{shown} of {total} organisations shown",
        "counter_two_mode": "{orgs} organisations and {projects} projects shown of {total} nodes",
        "backbone": (
            "Showing the {shown} most central of {total} organisations, ranked by {metric}. "
            "{hidden} organisations and {hidden_edges} collaborations are not shown here; "
            "use an ego view or a subset to see them."
        ),
        "figure_backbone": "Showing the {shown} most central of {total} organisations.",
        "details": "Selected organisation",
        "details_none": "Click a node to see details; drag to move the view, scroll to zoom.",
        "close": "Close",
        "neighbours": "Collaborates with",
        "more": "and {n} more",
        "name": "Name",
        "roles": "Roles",
        "projects": "Projects",
        "shared_projects": "{n} shared projects",
        "shared_project_one": "1 shared project",
        "tie_type": "Type of tie",
        "bridging_short": "Bridging actor",
        "articulation_short": "Articulation point",
        "ego": "Organisation at the centre",
        "ego_title": "The network around {name}",
        "organisation": "Organisation",
        "participants": "Participating organisations",
        "backbone_two_mode": (
            "Showing the {shown} most central of {total} nodes (organisations and projects), ranked by {metric}. {hidden} nodes and {hidden_edges} participations are not shown here."
        ),
        "role": "Role",
        "roles_legend": "Role in the project (line colour)",
        "no_js": "The network view needs JavaScript to be switched on in the browser.",
        "generated": "Made with samverkan",
        "view_label": "Network view",
        "efforts_title": "Map of efforts",
        "map_link": "The efforts on a map (map.html)",
        "efforts_heading": "Efforts",
        "efforts_search": "Search efforts or organisations",
        "target_group": "Target group",
        "effort": "Effort",
        "organisation_type": "Type of organisation",
        "target_groups": "Target groups",
        "municipalities": "Municipalities",
        "efforts_counter": "{shown} of {total} efforts shown",
        "coverage": "Coverage: target group × municipality",
        "coverage_shared": "The matrix is the analysis's coverage matrix: it counts efforts and active projects, so its white spots are those of the report and white_spots.csv.",
        "coverage_explained": (
            "Number of efforts available to each target group in each municipality. Empty cells (white spots) are marked: no effort exists there. Click a cell to filter the table."
        ),
        "white_spot": "white spot: no effort",
        "white_spots_count": "{n} white spots of {total} combinations",
        "unspecified_municipalities": "Efforts naming no municipality: {n} (not counted in the matrix).",
        "unspecified_target_groups": "Efforts naming no target group: {n} (not counted in the matrix).",
        "sort_hint": "Click a column heading to sort.",
        "total": "Total",
        "no_rows": "No effort matches the filters.",
    },
}


def text(lang: str, key: str, **values) -> str:
    """The UI text `key` in `lang`, with ``{placeholders}`` filled from `values`.

    Examples
    --------
    >>> text("sv", "counter", shown=3, total=20)
    '3 organisationer visas av 20'
    """
    template = TEXTS[lang][key]
    return template.format(**values) if values else template


def type_label(lang: str, type_key: str) -> str:
    """The label of an organisation type (``"ngo"`` -> ``"ideell organisation"``)."""
    return TYPE_LABELS[lang].get(type_key, type_key)


def metric_label(lang: str, metric: str) -> str:
    """The label of a metric; unknown metrics are shown by name, underscores as spaces."""
    return METRIC_LABELS[lang].get(metric, metric.replace("_", " "))
