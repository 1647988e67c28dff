"""The bridging section's paragraph on how certain a sampled betweenness ranking is."""

import html

from samverkan.report.confidence import confidence_paragraph
from samverkan.text import report as T


class Stub:
    """The few report methods the paragraph uses, as the report defines them."""

    def __init__(self, summary, lang="sv", names=None):
        self.summary, self.lang, self.names = summary, lang, names or {}

    def t(self, key, **values):
        text = html.escape(T.text(self.lang, key), quote=False)
        return text.format(**values) if values else text

    def e(self, value):
        return html.escape(str(value))

    def int(self, value):
        return T.format_int(round(value), self.lang)

    def num(self, value, digits=3):
        return T.format_number(value, self.lang, digits)

    def org_name(self, org):
        return self.names.get(org, org)


GUARANTEE = {
    "confidence": 0.9,
    "margin": 0.00451,
    "10": {"size": 10, "certain": 6, "shared_places": [7, 10], "sharing_count": 8, "sharing": ["a", "b", "c", "d", "e", "f", "g", "h"], "uncertain": ["x"]},
    "50": {"size": 50, "certain": 50, "shared_places": None, "sharing_count": 0, "sharing": [], "uncertain": []},
}


def test_names_the_organisations_that_may_swap_places_and_escapes_them():
    names = {"a": "Luleå <tekniska> universitet", "b": "Umeå universitet"}
    text = confidence_paragraph(Stub({"betweenness_exact": False, "betweenness_sources": 512, "betweenness_guarantee": GUARANTEE}, names=names))
    assert text.startswith("<p>Mellanhetscentraliteten är skattad från 512 slumpvis valda startorganisationer")
    assert "Med 90 % säkerhet gäller: 6 av de 10 som har högst mellanhet hör säkert dit; platserna 7–10 kan byta plats med " in text
    assert "Luleå &lt;tekniska&gt; universitet, Umeå universitet, c, d, e och 3 till" in text
    assert "de 50 organisationer som har högst mellanhet är verkligen de 50 högsta" in text
    assert "±0,0045" in text


def test_english_and_nothing_when_exact():
    text = confidence_paragraph(Stub({"betweenness_exact": False, "betweenness_sources": 512, "betweenness_guarantee": GUARANTEE}, lang="en"))
    assert "With 90 % confidence: 6 of the 10 with the highest betweenness certainly belong there; places 7–10 may swap with a, b, c, d, e and 3 more" in text
    assert confidence_paragraph(Stub({"betweenness_exact": True, "betweenness_guarantee": None})) == ""


def test_a_sampled_analysis_from_the_cli_states_its_confidence_in_the_report(tmp_path):
    # as a user runs it: `samverkan analyse PKG --sample 10`, then the written report and summary
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from samverkan.cli import main

    package = Path(__file__).resolve().parents[2] / "data" / "orebro-2014"
    result = CliRunner().invoke(main, ["analyse", str(package), "-o", str(tmp_path / "out"), "--sample", "10", "--lang", "en", "-q"])
    assert result.exit_code == 0, result.output
    guarantee = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["betweenness_guarantee"]
    assert guarantee["confidence"] == 0.9 and guarantee["margin"] > 0
    page = html.unescape((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert "Betweenness is estimated from 10 randomly chosen starting organisations, not computed exactly. With 90 % confidence:" in page
