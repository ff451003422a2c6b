"""Reading scenario files (YAML or JSON) from disk: the I/O adapter around the pure game.scenario.

Problems are reported with the line in the file where the faulty value starts, so an author can
jump straight to it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml

from game.scenario import Scenario, ScenarioError, ScenarioProblem, parse_scenario, scenario_warnings

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
DEFAULT_SCENARIO_PATH = SCENARIO_DIR / "us_vietnam_2025.yaml"
MAX_SCENARIO_BYTES = 2 * 1024 * 1024


def bundled_scenario_paths() -> list[Path]:
    """The cases shipped with the game: the default first (it is what a new install offers first), then
    the others by file name."""
    others = sorted(p for p in SCENARIO_DIR.glob("*.yaml") if p != DEFAULT_SCENARIO_PATH)
    return [DEFAULT_SCENARIO_PATH, *others]


def _yaml_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Map each value's path in a YAML document to its 1-based line number."""
    lines: dict[tuple[str | int, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str | int, ...]) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[(*path, key.value)] = key.start_mark.line + 1
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


def _path_of(location: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for chunk in location.replace("]", "").split("."):
        if not chunk:
            continue
        name, *indexes = chunk.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i) for i in indexes)
    return tuple(parts)


def _with_lines(problems: list[ScenarioProblem], lines: dict[tuple[str | int, ...], int]) -> list[ScenarioProblem]:
    located = []
    for p in problems:
        path = _path_of(p.location)
        while path and path not in lines:
            path = path[:-1]
        located.append(ScenarioProblem(p.location, p.message, lines.get(path)))
    return located


def _decode(text: str, suffix: str) -> tuple[object, dict[tuple[str | int, ...], int]]:
    """The file's data and the line of each value in it (YAML only)."""
    if suffix.lower() == ".json":
        try:
            return json.loads(text), {}
        except json.JSONDecodeError as exc:
            raise ScenarioError([ScenarioProblem("", f"not valid JSON: {exc.msg}", exc.lineno)]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(
            [ScenarioProblem("", f"not valid YAML: {problem}", mark.line + 1 if mark else None)]
        ) from None
    return data, _yaml_lines(text)


def check_scenario_text(text: str, *, suffix: str = ".yaml") -> tuple[Scenario, list[ScenarioProblem]]:
    """Decode YAML (or JSON, by suffix) and validate: the scenario and its warnings (the translations it
    lacks), located. Raises ScenarioError with located problems."""
    data, lines = _decode(text, suffix)
    try:
        scenario = parse_scenario(data)
    except ScenarioError as exc:
        raise ScenarioError(_with_lines(exc.problems, lines)) from None
    return scenario, _with_lines(scenario_warnings(scenario), lines)


def parse_scenario_text(text: str, *, suffix: str = ".yaml") -> Scenario:
    """Decode YAML (or JSON, by suffix) and validate. Raises ScenarioError with located problems."""
    return check_scenario_text(text, suffix=suffix)[0]


def check_scenario_file(path: str | Path) -> tuple[Scenario, list[ScenarioProblem]]:
    """A scenario file, validated: the scenario and its located warnings. Raises ScenarioError."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SCENARIO_BYTES:
            raise ScenarioError([ScenarioProblem("", f"file is larger than {MAX_SCENARIO_BYTES // 1024} KiB")])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([ScenarioProblem("", f"cannot read {path}: {exc}")]) from None
    return check_scenario_text(text, suffix=path.suffix)


def load_scenario_file(path: str | Path) -> Scenario:
    return check_scenario_file(path)[0]


@lru_cache(maxsize=1)
def default_scenario() -> Scenario:
    return load_scenario_file(DEFAULT_SCENARIO_PATH)
