"""Outputs carry no user's folders and no time (issue 17, items 13 and 15)."""

from __future__ import annotations

import time

import pandas as pd
import reliability_kit as kit

from samverkan.io.output import write_xlsx


def test_workbooks_are_byte_identical_across_runs(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b"], "value": [1.5, 2.0]})
    first = write_xlsx({"t": frame}, tmp_path / "a.xlsx").read_bytes()
    time.sleep(2.1)  # zip entries carry times in 2-second steps
    second = write_xlsx({"t": frame}, tmp_path / "a.xlsx").read_bytes()
    assert first == second


def test_compare_outputs_hold_no_absolute_package_path(tmp_path):
    a = kit.copy_package(kit.OREBRO, tmp_path / "home" / "someone" / "orebro")
    b = kit.copy_package(kit.SODERTORN, tmp_path / "home" / "someone" / "sodertorn")
    out = tmp_path / "cmp"
    with kit.case("output folder", timeout=600):
        result = kit.invoke("compare", a, b, "-o", out, "--samples", "3")
        kit.assert_clean_exit(result, allowed=(0,))
    for name in ("comparison.csv", "index.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text, name
