"""The code in docs/python-api.md runs as written (from the repository's root)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def code_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_python_api_examples_run(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    blocks = code_blocks(ROOT / "docs" / "python-api.md")
    assert len(blocks) >= 5
    namespace: dict = {}
    for block in blocks:  # one namespace, in order, as a reader runs them
        exec(compile(block, "docs/python-api.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "Södertörn 2009: Introduktion Södertörn" in out
    assert "reference date 2010-12-31 because: latest-in-data" in out
    assert "merge 2010-06-30 given" in out
