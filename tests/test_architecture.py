"""Imports flow one way (model → io, graph → metrics → compare → views → report → cli); nothing imports the CLI."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "samverkan"
LAYER = {"errors": 0, "model": 0, "io": 1, "privacy": 1, "graph": 2, "metrics": 3, "analysis": 4, "whatif": 4, "compare": 5, "views": 5, "report": 6, "pipeline": 7, "cli": 8}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(SRC).parts
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level])
            target = base + (node.module.split(".") if node.module else [])
            if not target:
                target = [alias.name for alias in node.names][:1]
            yield target[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("samverkan."):
            yield node.module.split(".")[1]


def test_no_module_imports_a_higher_layer():
    offenders = []
    for path in SRC.rglob("*.py"):
        top = path.relative_to(SRC).parts[0].removesuffix(".py")
        if top not in LAYER:
            continue
        for target in imported_modules(path):
            if target in LAYER and LAYER[target] > LAYER[top]:
                offenders.append(f"{path.relative_to(SRC)} imports {target}")
    assert not offenders, offenders
