"""The rules core is pure Python: stdlib, pydantic and itself only (no Django, no I/O libraries)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["game/engine", "game/scenario", "game/scoring", "game/bots"]
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions"}
# Reading the clock, the process's randomness, files or the network would make games unreproducible.
FORBIDDEN_STDLIB = {"time", "datetime", "os", "socket", "subprocess", "threading", "asyncio", "pathlib", "io", "shutil", "urllib", "http", "sqlite3", "tempfile"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


@pytest.mark.parametrize("package", CORE)
def test_core_imports_only_stdlib_pydantic_and_the_core(package):
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, name in _imports(path):
            top = name.split(".")[0]
            where = f"{path.relative_to(ROOT)}:{line} imports {name}"
            if top == "game":
                if not any(name == p.replace("/", ".") or name.startswith(p.replace("/", ".") + ".") for p in CORE):
                    problems.append(where)
            elif top in FORBIDDEN_STDLIB:
                problems.append(where)
            elif top not in sys.stdlib_module_names and top not in ALLOWED_THIRD_PARTY:
                problems.append(where)
    assert not problems, "the pure core reaches outside itself:\n" + "\n".join(problems)


@pytest.mark.parametrize("package", CORE)
def test_core_uses_no_global_random(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "random" and node.attr != "Random":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} random.{node.attr}")
    assert not offenders, "use a seeded random.Random instance:\n" + "\n".join(offenders)
