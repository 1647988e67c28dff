"""Nothing in the package needs make, bash or Debian to run (issue 12): no subprocess, no shell,
no absolute Unix paths; only the tests' browser support uses Debian's Chromium."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "samverkan"
FORBIDDEN = re.compile(
    r"\bimport subprocess\b|\bfrom subprocess\b|\bos\.system\(|\bos\.popen\(|\bshell=True\b"
    r"|[\"']/(usr|bin|tmp|etc)/|[\"'](bash|sh|make)[\"']"
)


def test_no_shell_make_or_unix_paths_in_the_package():
    offending = []
    for path in sorted(SRC.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line):
                offending.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offending == []


def test_readme_gives_the_commands_without_make():
    readme = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    for command in ("py -m venv .venv", ".venv\\Scripts\\pip install .", ".venv\\Scripts\\samverkan demo", "python3 -m venv .venv", ".venv/bin/pip install .", ".venv/bin/samverkan demo"):
        assert command in readme, command


def test_demo_finds_the_examples_in_the_clone_it_runs_in(tmp_path, monkeypatch):
    from samverkan import cli

    monkeypatch.setattr(cli, "EXAMPLES_DIR", tmp_path / "site-packages" / "data")  # as after pip install .
    monkeypatch.chdir(SRC.parents[1])
    assert cli._examples_dir() == Path.cwd() / "data"
