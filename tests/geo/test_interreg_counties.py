"""The Interreg import's organisations carry their county ("Västerbottens län"): all land on county shapes."""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.geo.names import county_code
from samverkan.geo.shapes import COUNTY_NAMES
from samverkan.geo.svgmap import county_map_svg, resolve_counties

ROOT = Path(__file__).resolve().parents[2]
INTERREG = ROOT.parent / "shared" / "data" / "interreg-se-2021-2027" / "interreg_swedish_partners.csv"


@pytest.mark.skipif(not INTERREG.exists(), reason=f"the shared Interreg table is absent ({INTERREG})")
def test_interreg_regions_land_on_county_shapes():
    from samverkan.io.flat_import import import_flat_table
    from samverkan.io.mapping import load_mapping

    package = import_flat_table(INTERREG, load_mapping(ROOT / "data" / "mappings" / "interreg.toml")).package
    regions = package.organisations["region"].astype("string").fillna("").str.strip()
    written = sorted(set(regions) - {""})
    codes = {name: county_code(name) for name in written}
    assert all(codes.values()), [n for n, c in codes.items() if not c]
    assert set(codes.values()) == set(COUNTY_NAMES)  # all 21 counties take part
    assert codes["Västerbottens län"] == "24" and codes["Skåne län"] == "12"
    counts = regions[regions != ""].value_counts().to_dict()
    values, _, unmatched = resolve_counties(counts)
    assert unmatched == [] and sum(values.values()) == sum(counts.values())
    svg = county_map_svg(values, value_label="organisationer")
    assert "Västerbottens län: " in svg
