"""Horizon 2020 by country: the scale test (35,871 organisations, 144,726 participations, 169 countries).

Runs on ``../shared/data/cordis-h2020/h2020.csv.gz`` through the flat importer and its mapping;
skipped when the shared data are not there. Its time is printed here and measured by
``benchmarks/run.py``; tests assert behaviour, not seconds.
"""

import time

import pytest

from samverkan.compare import run_compare

pytestmark = pytest.mark.slow


def test_h2020_by_country(h2020_package, tmp_path):
    wall = time.perf_counter()
    cpu = time.process_time()
    result = run_compare([h2020_package], tmp_path, by="country", lang="en")
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    print(f"H2020 by country: {cpu:.1f} s CPU, {wall:.1f} s wall; steps {result.timings}")
    comparison = result.comparison.set_index("region")
    assert len(comparison) == 169
    assert comparison.loc["DE", "organisations"] == 3899 and not comparison.loc["DE", "too_thin"]
    assert comparison["organisations"].sum() == 35871
    # the largest countries get capped null models, and say so
    capped = result.null_model[result.null_model["capped"]]
    assert {"DE", "ES", "IT", "UK", "FR"} <= set(capped["region"])
    assert any("null-model samples instead of 100" in n for n in result.notes)
    # every pair of the five largest countries is linked, strongly
    links = result.inter_region
    big = {"DE", "ES", "IT", "UK", "FR"}
    strong = links[links["region_a"].isin(big) & links["region_b"].isin(big)]
    assert len(strong) == 10 and (strong["shared_projects"] > 2000).all()
    assert (tmp_path / "index.html").stat().st_size < 2_000_000
