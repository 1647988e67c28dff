"""Helpers for the comparison tests: tiny hand-made packages, the bundled examples, Horizon 2020."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from samverkan.io.package import empty_package

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data"
SHARED = ROOT.parent / "shared" / "data"
H2020 = SHARED / "cordis-h2020" / "h2020.csv.gz"
H2020_MAPPING = ROOT / "data" / "mappings" / "cordis-h2020.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_package(participations, *, organisations=None, projects=None, ties=None, name="test"):
    """A package from (project, organisation, role[, start, end]) rows.

    ``organisations``: a list of dicts with at least ``id`` (name = id in upper case, type ``other``
    unless given); ``projects``: dicts with ``id`` and optionally ``start``/``end``/``name``.
    """
    pkg = empty_package(name)
    rows = []
    for row in participations:
        project, organisation, role, *dates = row
        start, end = (dates + [None, None])[:2]
        rows.append({"project": project, "organisation": organisation, "contact": "", "role": role, "start": pd.Timestamp(start) if start else pd.NaT, "end": pd.Timestamp(end) if end else pd.NaT})
    frame = pd.DataFrame(rows, columns=["project", "organisation", "contact", "role", "start", "end"])
    frame["start"] = frame["start"].astype("datetime64[ns]")
    frame["end"] = frame["end"].astype("datetime64[ns]")
    ids = sorted(set(frame["organisation"]))
    orgs = organisations or [{"id": i} for i in ids]
    org_frame = pd.DataFrame(
        [
            {
                "id": o["id"],
                "name": o.get("name", o["id"].upper()),
                "type": o.get("type", "other"),
                "level": "",
                "municipality": o.get("municipality", ""),
                "region": o.get("region", ""),
                "parent": "",
                "aliases": "",
                **{k: v for k, v in o.items() if k not in ("id", "name", "type", "municipality", "region")},
            }
            for o in orgs
        ]
    )
    project_rows = projects or [{"id": p} for p in sorted(set(frame["project"]))]
    project_frame = pd.DataFrame(
        [
            {
                "id": p["id"],
                "name": p.get("name", p["id"]),
                "region": "",
                "start": pd.Timestamp(p["start"]) if p.get("start") else pd.NaT,
                "end": pd.Timestamp(p["end"]) if p.get("end") else pd.NaT,
                "budget": float("nan"),
                "funder": "",
                "status": p.get("status", ""),
                "target_groups": "",
                "parent": "",
            }
            for p in project_rows
        ]
    )
    project_frame["start"] = project_frame["start"].astype("datetime64[ns]")
    project_frame["end"] = project_frame["end"].astype("datetime64[ns]")
    pkg.tables["organisations"] = org_frame
    pkg.tables["projects"] = project_frame
    pkg.tables["participations"] = frame
    if ties is not None:
        pkg.tables["ties"] = pd.DataFrame(ties, columns=["source", "target", "type", "weight", "directed"])
    return pkg


def example_paths() -> list[Path]:
    paths = [EXAMPLES / "orebro-2014", EXAMPLES / "sodertorn-2009"]
    missing = [p for p in paths if not (p / "organisations.csv").exists()]
    assert not missing, f"the bundled example package is missing: {missing[0]}"
    return paths


def load_h2020():
    """Horizon 2020 as a package: through the flat importer and its mapping (countries in ``country``)."""
    if not H2020.exists():
        pytest.skip(f"shared data not here: {H2020}")
    from samverkan.io.flat_import import import_flat_table
    from samverkan.io.mapping import load_mapping

    return import_flat_table(H2020, load_mapping(H2020_MAPPING)).package
