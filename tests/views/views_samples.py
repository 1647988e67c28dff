"""Sample graphs for the view tests: small and hand-made, or large and synthetic but clustered."""

from __future__ import annotations

import random
import re
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "reports" / "screenshots"

# Ways a page could load something from the network. vis-network's own code holds URL strings in
# comments and strings; those load nothing, so the check looks for loading constructs only.
EXTERNAL = [
    re.compile(r"<script[^>]*\bsrc\s*=", re.IGNORECASE),
    re.compile(r"<link[^>]*\bhref\s*=", re.IGNORECASE),
    re.compile(r"<(img|iframe|embed|object|audio|video|source)[^>]*\b(src|data)\s*=\s*[\"']?\s*https?:", re.IGNORECASE),
    re.compile(r"url\(\s*[\"']?\s*(https?:)?//", re.IGNORECASE),
    re.compile(r"@import", re.IGNORECASE),
]


def assert_offline(page: str):
    """Fail when the page would load anything over the network."""
    for pattern in EXTERNAL:
        assert not pattern.search(page), f"external resource: {pattern.pattern}"


XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"

SMALL_ORGS = [
    # id, name, type, municipality
    ("k0181", "Södertälje kommun", "municipality", "Södertälje"),
    ("k0126", "Huddinge kommun", "municipality", "Huddinge"),
    ("k0127", "Botkyrka kommun", "municipality", "Botkyrka"),
    ("k0136", "Haninge kommun", "municipality", "Haninge"),
    ("k0192", "Nynäshamns kommun", "municipality", "Nynäshamn"),
    ("k0138", "Tyresö kommun", "municipality", "Tyresö"),
    ("r01", "Region Stockholm", "region", "Stockholm"),
    ("lst", "Länsstyrelsen i Stockholms län", "county_admin_board", "Stockholm"),
    ("af", "Arbetsförmedlingen", "state_agency", "Stockholm"),
    ("fk", "Försäkringskassan", "state_agency", "Stockholm"),
    ("sh", "Södertörns högskola", "academia", "Huddinge"),
    ("kth", "KTH Flemingsberg", "academia", "Huddinge"),
    ("smf", "Stadsmissionen Söder", "ngo", "Botkyrka"),
    ("rk", "Röda korset Södertörn", "ngo", "Haninge"),
    ("ftg", "Företagarna Södertörn", "business", "Södertälje"),
    ("sof", "Samordningsförbundet Östra Södertörn", "association_of_local_authorities", "Haninge"),
    ("se1", "Kooperativet Ängen", "social_economy", "Tyresö"),
    ("esf", "Svenska ESF-rådet", "funder", "Stockholm"),
    ("xss1", XSS_IMG, "other", "Huddinge"),
    ("xss2", XSS_SCRIPT, "ngo", "Botkyrka"),
]

SMALL_EDGES = [
    ("k0181", "r01", 4),
    ("k0181", "af", 3),
    ("k0181", "ftg", 2),
    ("k0181", "lst", 1),
    ("k0126", "sh", 5),
    ("k0126", "kth", 2),
    ("k0126", "r01", 3),
    ("k0126", "af", 2),
    ("k0127", "smf", 3),
    ("k0127", "af", 2),
    ("k0127", "r01", 2),
    ("k0136", "rk", 2),
    ("k0136", "sof", 4),
    ("k0136", "fk", 2),
    ("k0192", "sof", 2),
    ("k0192", "k0136", 3),
    ("k0138", "se1", 2),
    ("k0138", "sof", 2),
    ("r01", "lst", 3),
    ("r01", "sh", 2),
    ("sh", "kth", 3),
    ("af", "fk", 3),
    ("sof", "fk", 2),
    ("sof", "af", 2),
    ("esf", "r01", 2),
    ("esf", "sof", 1),
    ("xss1", "k0126", 1),
    ("xss1", "sh", 1),
    ("xss2", "k0127", 2),
    ("xss2", "smf", 1),
    ("ftg", "sh", 1),
]


def make_small_graph() -> nx.Graph:
    """Twenty Södertörn organisations with metrics, two hostile names and e-mail addresses."""
    G = nx.Graph()
    for i, (oid, name, typ, mun) in enumerate(SMALL_ORGS):
        G.add_node(
            oid,
            name=name,
            type=typ,
            municipality=mun,
            region="Stockholms län",
            community=i % 3,
            email=f"hemlig.person{i}@exempel.se",
            level="local",
            projects="Jobbspåret|Unga in" if i % 2 else "Språkvän Södertörn",
        )
    for u, v, sp in SMALL_EDGES:
        G.add_edge(u, v, shared_projects=sp, weight=float(sp), newman_weight=sp / 2, shared_roles="owner|partner", tie_type="project")
    between = nx.betweenness_centrality(G)
    cut = set(nx.articulation_points(G))
    for n in G:
        G.nodes[n].update(
            degree=G.degree(n),
            weighted_degree=G.degree(n, weight="shared_projects"),
            betweenness=between[n],
            articulation_point=n in cut,
            bridging=n in {"sof", "r01"},
            roles="owner: Jobbspåret | steering: Unga in",
        )
    return G


def make_synthetic_graph(n_orgs: int = 3000, n_projects: int = 2600, seed: int = 7) -> nx.Graph:
    """A clustered collaboration graph: projects draw most members from one of 24 local clusters."""
    rng = random.Random(seed)
    types = ["municipality", "region", "state_agency", "ngo", "social_economy", "academia", "business", "other"]
    places = [
        "Södertälje",
        "Huddinge",
        "Botkyrka",
        "Haninge",
        "Nynäshamn",
        "Tyresö",
        "Salem",
        "Nykvarn",
        "Göteborg",
        "Malmö",
        "Umeå",
        "Örebro",
        "Luleå",
        "Västerås",
        "Växjö",
        "Gävle",
        "Kiruna",
        "Visby",
        "Falun",
        "Kalmar",
        "Lund",
        "Borås",
        "Jönköping",
        "Östersund",
    ]
    G = nx.Graph()
    clusters: dict[int, list[str]] = {}
    for i in range(n_orgs):
        c = i % len(places)
        oid = f"org{i:05d}"
        clusters.setdefault(c, []).append(oid)
        G.add_node(oid, name=f"{rng.choice(types).title()} {places[c]} {i}", type=rng.choice(types), municipality=places[c], region=f"Region {c // 6}", community=c, email=f"p{i}@exempel.se")
    weights = {c: [1.0 / (k + 1) ** 0.9 for k in range(len(m))] for c, m in clusters.items()}
    for p in range(n_projects):
        c = rng.randrange(len(places))
        k = rng.randint(2, 5)
        members = set(rng.choices(clusters[c], weights=weights[c], k=k))
        if rng.random() < 0.25:
            other = rng.randrange(len(places))
            members.add(rng.choices(clusters[other], weights=weights[other], k=1)[0])
        for a in members:
            previous = G.nodes[a].get("projects")
            G.nodes[a]["projects"] = f"{previous}|Projekt {p}" if previous else f"Projekt {p}"
        for a in members:
            for b in members:
                if a < b:
                    sp = G.edges[a, b]["shared_projects"] + 1 if G.has_edge(a, b) else 1
                    G.add_edge(a, b, shared_projects=sp)
    reach = {n: len({G.nodes[m]["community"] for m in G[n]}) for n in G}
    brokers = set(sorted(G, key=lambda n: (-reach[n], n))[: n_orgs // 50])  # the 2 % reaching most clusters
    for n in G:
        G.nodes[n]["degree"] = G.degree(n)
        G.nodes[n]["bridging"] = n in brokers
    return G


def make_two_mode_graph() -> nx.Graph:
    """Organisations and projects with roles (canonical and Swedish spellings)."""
    B = nx.Graph()
    small = make_small_graph()
    projects = {"p1": "Jobbspåret", "p2": "Unga in", "p3": "Språkvän Södertörn", "p4": "Grön omställning"}
    for pid, name in projects.items():
        B.add_node(f"project:{pid}", name=name, type="project")
    for oid, attrs in small.nodes(data=True):
        B.add_node(f"org:{oid}", name=attrs["name"], type=attrs["type"], municipality=attrs["municipality"], email=attrs["email"])
    roles = ["owner", "styrgrupp", "partner", "referensgrupp", "finansiär", "projektledare"]
    for i, oid in enumerate(sorted(small.nodes)):
        for j, pid in enumerate(sorted(projects)):
            if (i + j) % 3 == 0:
                B.add_edge(f"org:{oid}", f"project:{pid}", role=roles[(i + 2 * j) % len(roles)])
    for n in B:
        B.nodes[n]["degree"] = B.degree(n)
    return B
