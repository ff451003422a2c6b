"""Why a scenario file was refused: every problem, each with its place in the file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScenarioProblem:
    location: str  # dotted path into the file, e.g. "rounds[2].agenda[1]"
    message: str
    line: int | None = None  # 1-based line in the file, when the file format tells us

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.location or '(top level)'}: {self.message}"


class ScenarioError(Exception):
    """A scenario that cannot be used. Carries every problem found, not just the first."""

    def __init__(self, problems: list[ScenarioProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_location(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
