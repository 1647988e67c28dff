"""Safe embedding of data and libraries, and atomic writes."""

from __future__ import annotations

import json
import os
import re

import pytest

from samverkan.io.output import atomic_write_text as write_text_atomic
from samverkan.views.embed import json_for_script, plain
from samverkan.views.kit import Markup, content_security_policy, render_page, vis_network

HOSTILE = [
    "</script><script>alert(1)</script>",
    "</SCRIPT >",
    "<!-- <script>",
    "<img src=x onerror=alert(1)>",
    "a\u2028b\u2029c",
    "&lt; & &amp;",
    "Å ä ö \"citat\" 'apostrof' \\ backslash",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_json_for_script_round_trips_and_cannot_break_out(value):
    out = json_for_script({"name": value, "list": [value]})
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"name": value, "list": [value]}


def test_json_for_script_keeps_swedish_letters_readable():
    assert json_for_script("Södertälje") == '"Södertälje"'


def test_plain_makes_numpy_and_nan_json_safe():
    np = pytest.importorskip("numpy")
    data = plain({"a": np.int64(3), "b": np.float64("nan"), "c": np.bool_(True), "d": float("inf"), 4: (1, 2)})
    assert data == {"a": 3, "b": None, "c": True, "d": None, "4": [1, 2]}
    json.dumps(data, allow_nan=False)


def test_the_kit_escapes_data_and_refuses_our_code_that_would_end_an_element():
    page = render_page("page.html", lang="sv", title="</title><script>alert(1)</script>", body=Markup("<p>ok</p>"), data={"d": {"name": "</script>"}})
    assert "<script>alert(1)" not in page.html and "&lt;/title&gt;" in page.html
    assert page.html.count("</script>") == 1 + len(page.scripts)  # the data block and the kit's script
    with pytest.raises(ValueError):
        render_page("page.html", lang="sv", title="x", body=Markup(""), scripts=["var s = '</script>';"])


def test_every_page_has_a_csp_with_its_script_hashes_and_a_print_stylesheet():
    page = render_page("page.html", lang="en", title="t", body=Markup(""), scripts=["a()"])
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page.html).group(1)
    assert csp.count("'sha256-") == len(page.scripts) == 2  # the kit's and ours
    assert '<style media="print">' in page.html


def test_vis_network_is_the_vendored_pinned_copy_and_can_be_inlined():
    js, css = vis_network()
    assert "@version 9.1.2" in js[:400]
    assert "vis-network" in js[:400]
    assert not re.search(r"</script", js, re.IGNORECASE)
    assert "<!--" not in js
    # vis-network's stylesheet only holds data: URLs (no fonts or images from the network)
    assert all(u.startswith(("data:", '"data:', "'data:")) for u in re.findall(r"url\(([^)]*)\)", css))


def test_csp_allows_exactly_the_given_scripts_and_no_network():
    policy = content_security_policy(["a()", "b()"])
    assert "default-src 'none'" in policy
    assert policy.count("'sha256-") == 2
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
    assert "http" not in policy


def test_write_text_atomic_replaces_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "sub" / "page.html"
    write_text_atomic(target, "först")
    write_text_atomic(target, "sedan – å ä ö")
    assert target.read_bytes() == "sedan – å ä ö".encode()
    assert sorted(os.listdir(target.parent)) == ["page.html"]
