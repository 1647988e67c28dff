"""The map and the efforts table are companions: each links to the other, and the report lists both."""

from pathlib import Path

import samverkan

ROOT = Path(__file__).resolve().parents[2]


def test_efforts_page_and_report_link_to_the_map(tmp_path):
    written = samverkan.analyse(ROOT / "data" / "sodertorn-2009").write(tmp_path / "out", workers=False)
    names = {Path(p).name for p in written}
    assert {"map.html", "map.svg", "map.png", "efforts.html"} <= names
    efforts = (tmp_path / "out" / "efforts.html").read_text(encoding="utf-8")
    assert 'href="map.html"' in efforts
    assert 'href="efforts.html"' in (tmp_path / "out" / "map.html").read_text(encoding="utf-8")
    assert 'href="map.html"' in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
