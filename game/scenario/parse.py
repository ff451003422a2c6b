"""Turn decoded scenario data into a validated Scenario, or a ScenarioError listing every problem."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from game.scenario.errors import ScenarioError, ScenarioProblem, format_location
from game.scenario.schema import CITATION_KINDS, Scenario

_FRIENDLY = {
    "extra_forbidden": "is not a field this schema knows (check the spelling)",
    "missing": "is required but missing",
}
# What each field of a reference is for, said when one is missing or malformed.
_REFERENCE_FIELDS = {
    "outlet": "who published it",
    "date": "when it was published or the event it reports",
    "url": "the address where a reader can check it, starting with https:// or http://",
    "fact": "the fact it reports, in the scenario's own words",
}


def _location(loc: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], str | None]:
    """The place in the file (without pydantic's union tag) and the citation kind the error is in."""
    out: list[str | int] = []
    kind = None
    for part in loc:
        after_citation = bool(out) and (isinstance(out[-1], int) or str(out[-1]).endswith("citation"))
        if part in CITATION_KINDS and after_citation:
            kind = str(part)
            continue
        out.append(part)
    return tuple(out), kind


def _message(err: Any, kind: str | None, loc: tuple[str | int, ...]) -> str:
    field = loc[-1] if loc else None
    if kind == "reference" and field in _REFERENCE_FIELDS and err["type"] in ("missing", "string_pattern_mismatch"):
        problem = "is required but missing" if err["type"] == "missing" else "is not a web address"
        return (
            f"{problem}: a reference needs its {field} ({_REFERENCE_FIELDS[field]}); "
            "every reference gives outlet, date, url and fact"
        )
    if kind == "seed_quote" and field == "where" and err["type"] == "string_pattern_mismatch":
        return 'must read "para N": the N-th non-empty line of the seed file, where the quote is'
    if err["type"] == "value_error" and "error" in err.get("ctx", {}):
        return str(err["ctx"]["error"])  # a model's own check already says what is wrong
    return _FRIENDLY.get(err["type"], err["msg"])


def parse_scenario(data: object) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError([ScenarioProblem("", f"a scenario must be a mapping of fields, not {type(data).__name__}")])
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc, kind = _location(tuple(err["loc"]))
            problems.append(ScenarioProblem(format_location(loc), _message(err, kind, loc)))
        raise ScenarioError(problems) from None
