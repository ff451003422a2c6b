"""Cross-reference and consistency checks that a field-by-field schema cannot express."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from pydantic import BaseModel

from game.scenario.errors import ScenarioError, ScenarioProblem, format_location

if TYPE_CHECKING:
    from game.scenario.schema import Citation, Scenario


def _duplicates(ids: list[str]) -> list[str]:
    return sorted(i for i, n in Counter(ids).items() if n > 1)


def reference_problems(s: Scenario) -> list[ScenarioProblem]:
    from game.scenario.schema import IDEAL_POINTS, SeedQuote

    problems: list[ScenarioProblem] = []

    def bad(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(ScenarioProblem(format_location(loc), message))

    seeds = {x.id for x in s.seeds}
    teams = {t.id for t in s.teams}
    issues = {i.id: i for i in s.issues}
    roles = {r.id: r for r in s.roles}
    injects = {i.id for i in s.injects}

    for name, ids in (
        ("seeds", [x.id for x in s.seeds]),
        ("teams", [t.id for t in s.teams]),
        ("roles", [r.id for r in s.roles]),
        ("issues", [i.id for i in s.issues]),
        ("deliverables", [d.id for d in s.deliverables]),
        ("injects", [i.id for i in s.injects]),
        ("personas", [p.id for p in s.personas]),
    ):
        for dup in _duplicates(ids):
            bad((name,), f"id {dup!r} is used more than once")
    for index, issue in enumerate(s.issues):
        for dup in _duplicates(issue.option_ids()):
            bad(("issues", index, "options"), f"option id {dup!r} is used more than once")

    def cite(loc: tuple[str | int, ...], citation: Citation) -> None:
        if isinstance(citation, SeedQuote) and citation.seed not in seeds:
            bad((*loc, "seed"), f"cites unknown seed {citation.seed!r} (known: {', '.join(sorted(seeds))})")

    def issue_ref(loc: tuple[str | int, ...], issue_id: str) -> bool:
        if issue_id not in issues:
            bad(loc, f"names unknown issue {issue_id!r}")
            return False
        return True

    def option_ref(loc: tuple[str | int, ...], issue_id: str, option_id: str) -> None:
        if issue_id in issues and option_id not in issues[issue_id].option_ids():
            bad(loc, f"names unknown option {option_id!r} of issue {issue_id!r}")

    def team_ref(loc: tuple[str | int, ...], team_id: str) -> None:
        if team_id not in teams:
            bad(loc, f"names unknown team {team_id!r}")

    for index, issue in enumerate(s.issues):
        cite(("issues", index, "citation"), issue.citation)

    # Points sheets: every issue, every option, ideal = 100.
    for ti, team in enumerate(s.teams):
        cite(("teams", ti, "batna_citation"), team.batna_citation)
        for issue_id in team.points:
            issue_ref(("teams", ti, "points", issue_id), issue_id)
        for issue_id, issue in issues.items():
            sheet = team.points.get(issue_id)
            if sheet is None:
                bad(("teams", ti, "points"), f"has no points for issue {issue_id!r}")
                continue
            missing = [o for o in issue.option_ids() if o not in sheet]
            unknown = [o for o in sheet if o not in issue.option_ids()]
            if missing:
                bad(("teams", ti, "points", issue_id), f"has no points for option(s) {', '.join(missing)}")
            if unknown:
                bad(("teams", ti, "points", issue_id), f"names unknown option(s) {', '.join(unknown)}")
            if any(v < 0 for v in sheet.values()):
                bad(("teams", ti, "points", issue_id), "points must not be negative")
        if all(i in team.points for i in issues):
            ideal = sum(max(team.points[i].values(), default=0) for i in issues)
            if ideal != IDEAL_POINTS:
                bad(
                    ("teams", ti, "points"),
                    f"the ideal package is worth {ideal} points on the sheet of team {team.id!r}; it must be {IDEAL_POINTS}",
                )

    for ri, role in enumerate(s.roles):
        team_ref(("roles", ri, "team"), role.team)
        for ci, c in enumerate(role.citations):
            cite(("roles", ri, "citations", ci), c)
        for issue_id in role.priorities:
            issue_ref(("roles", ri, "priorities", issue_id), issue_id)
        for li, line in enumerate(role.red_lines):
            if issue_ref(("roles", ri, "red_lines", li, "issue"), line.issue):
                option_ref(("roles", ri, "red_lines", li, "worst_acceptable"), line.issue, line.worst_acceptable)
            cite(("roles", ri, "red_lines", li, "citation"), line.citation)
    for team in s.teams:
        levels = {r.level for r in s.roles if r.team == team.id}
        if not any(r.team == team.id for r in s.roles):
            bad(("roles",), f"team {team.id!r} has no roles")
        elif "leader" not in levels:
            bad(("roles",), f"team {team.id!r} has no leader-level role")

    for di, d in enumerate(s.deliverables):
        team_ref(("deliverables", di, "team"), d.team)
        cite(("deliverables", di, "citation"), d.citation)
        for bi, backing in enumerate(d.backs):
            if issue_ref(("deliverables", di, "backs", bi, "issue"), backing.issue):
                for oi, option in enumerate(backing.options):
                    option_ref(("deliverables", di, "backs", bi, "options", oi), backing.issue, option)
        for pi, role_id in enumerate(d.prepared_by):
            if role_id not in roles:
                bad(("deliverables", di, "prepared_by", pi), f"names unknown role {role_id!r}")
            elif roles[role_id].team != d.team:
                bad(("deliverables", di, "prepared_by", pi), f"role {role_id!r} is not on team {d.team!r}")

    for ii, inj in enumerate(s.injects):
        if inj.target != "both":
            team_ref(("injects", ii, "target"), inj.target)
        for team_id in inj.stance_shift:
            team_ref(("injects", ii, "stance_shift", team_id), team_id)
        cite(("injects", ii, "citation"), inj.citation)

    for ri, rnd in enumerate(s.rounds):
        if rnd.index != ri:
            bad(("rounds", ri, "index"), f"round at position {ri} has index {rnd.index}; rounds are numbered 0, 1, 2, ...")
        for ci, c in enumerate(rnd.citations):
            cite(("rounds", ri, "citations", ci), c)
        for ai, issue_id in enumerate(rnd.agenda):
            issue_ref(("rounds", ri, "agenda", ai), issue_id)
        for ii, inject_id in enumerate(rnd.injects):
            if inject_id not in injects:
                bad(("rounds", ri, "injects", ii), f"names unknown inject {inject_id!r}")
        if rnd.opens is not None:
            team_ref(("rounds", ri, "opens"), rnd.opens)
        if "table" in rnd.phases and not rnd.agenda:
            bad(("rounds", ri, "agenda"), "a round with a table phase needs at least one agenda issue")
    if not any("table" in r.phases for r in s.rounds):
        bad(("rounds",), "at least one round needs a table phase, or no deal could ever be made")

    for pi, persona in enumerate(s.personas):
        if persona.team != "any":
            team_ref(("personas", pi, "team"), persona.team)
    for team in s.teams:
        if not any(p.team in (team.id, "any") for p in s.personas):
            bad(("personas",), f"team {team.id!r} has no bot persona")

    problems.extend(_time_problems(s))
    problems.extend(_epilogue_problems(s, cite))

    if s.historical_outcome is not None:
        ho = s.historical_outcome
        for ci, c in enumerate(ho.citations):
            cite(("historical_outcome", "citations", ci), c)
        for issue_id, option in ho.package.items():
            if issue_ref(("historical_outcome", "package", issue_id), issue_id):
                option_ref(("historical_outcome", "package", issue_id), issue_id, option)
        missing = [i for i in issues if i not in ho.package]
        if missing:
            bad(("historical_outcome", "package"), f"does not cover issue(s) {', '.join(missing)}")
    return problems


def _time_problems(s: Scenario) -> list[ScenarioProblem]:
    """Nothing happens before its day: rounds follow each other without overlapping, an inject is
    scheduled only in a round whose dates include its day, and every dated card becomes playable in
    some round."""
    problems: list[ScenarioProblem] = []

    def bad(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(ScenarioProblem(format_location(loc), message))

    dated = [("deliverables", i) for i, d in enumerate(s.deliverables) if d.available_from] + [
        ("injects", i) for i, j in enumerate(s.injects) if j.available_from
    ]
    bounded = [r for r in s.rounds if r.starts is not None and r.ends is not None]
    for ri, rnd in enumerate(s.rounds):
        if (rnd.starts is None) != (rnd.ends is None):
            bad(("rounds", ri), "a round's dates need both starts and ends (YYYY-MM-DD)")
        elif rnd.starts is None and dated:
            bad(("rounds", ri), "this scenario dates its cards or injects, so every round needs starts and ends (YYYY-MM-DD)")
        elif rnd.starts is not None and rnd.ends is not None and rnd.starts > rnd.ends:
            bad(("rounds", ri, "ends"), f"the round ends ({rnd.ends}) before it starts ({rnd.starts})")
    for before, after in zip(bounded, bounded[1:]):
        if after.starts <= before.ends:
            bad(("rounds", after.index, "starts"), f"round {after.index} starts on {after.starts}, before round {before.index} ends ({before.ends}); rounds must not overlap")
    if len(bounded) != len(s.rounds):
        return problems

    injects = {j.id: j for j in s.injects}
    for ri, rnd in enumerate(s.rounds):
        for ii, inject_id in enumerate(rnd.injects):
            day = injects[inject_id].available_from if inject_id in injects else None
            if day is not None and not (rnd.starts <= day <= rnd.ends):
                when = "before it happened" if day > rnd.ends else "after it happened"
                bad(("rounds", ri, "injects", ii), f"inject {inject_id!r} happened on {day}, but round {ri} runs {rnd.starts} to {rnd.ends}: it would land {when}; schedule it in the round whose dates include its day")
    last = s.rounds[-1].ends
    for di, card in enumerate(s.deliverables):
        first = s.first_round_from(card.available_from)
        if first is None:
            bad(("deliverables", di, "available_from"), f"card {card.id!r} becomes possible on {card.available_from}, after the last round ends ({last}): it could never be played")
        elif card.available_from is not None and first + card.preparation_rounds >= len(s.rounds):
            bad(("deliverables", di, "preparation_rounds"), f"card {card.id!r} can be prepared from round {first} and takes {card.preparation_rounds} more round(s): it would be ready only after the last round")
    aftermath = set(s.epilogue.inject_ids()) if s.epilogue else set()
    for ii, inj in enumerate(s.injects):
        if inj.available_from is not None and inj.available_from > last and inj.id not in aftermath:
            bad(("injects", ii, "available_from"), f"inject {inj.id!r} happened on {inj.available_from}, after the last round ends ({last}): it could never be pushed")
    return problems


def _epilogue_problems(s: Scenario, cite) -> list[ScenarioProblem]:
    """The epilogue plays the aftermath of the talks: it follows the last round, its injects happened
    between its first and last day, and each pressure names a team and terms of a deal."""
    problems: list[ScenarioProblem] = []
    ep = s.epilogue
    if ep is None:
        return problems

    def bad(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(ScenarioProblem(format_location(loc), message))

    for ci, c in enumerate(ep.citations):
        cite(("epilogue", "citations", ci), c)
    if ep.starts > ep.ends:
        bad(("epilogue", "ends"), f"the epilogue ends ({ep.ends}) before it starts ({ep.starts})")
    last = s.rounds[-1].ends
    if last is None:
        bad(("epilogue", "starts"), "an epilogue follows the last round, so every round needs starts and ends (YYYY-MM-DD)")
    elif ep.starts <= last:
        bad(("epilogue", "starts"), f"the epilogue starts on {ep.starts}, before the last round ends ({last}): it plays the aftermath of the talks, so it starts after them")
    for dup in _duplicates([p.id for p in ep.pressures]):
        bad(("epilogue", "pressures"), f"id {dup!r} is used more than once")
    teams = {t.id for t in s.teams}
    issues = set(s.issue_ids())
    injects = {j.id: j for j in s.injects}
    scheduled = {i for r in s.rounds for i in r.injects}
    for pi, pressure in enumerate(ep.pressures):
        loc = ("epilogue", "pressures", pi)
        if pressure.team not in teams:
            bad((*loc, "team"), f"names unknown team {pressure.team!r}")
        for ii, issue_id in enumerate(pressure.issues):
            if issue_id not in issues:
                bad((*loc, "issues", ii), f"names unknown issue {issue_id!r}")
        inject = injects.get(pressure.inject)
        if inject is None:
            bad((*loc, "inject"), f"names unknown inject {pressure.inject!r}")
        elif inject.available_from is None:
            bad((*loc, "inject"), f"inject {inject.id!r} has no available_from: an epilogue's event needs the day it happened")
        elif not ep.starts <= inject.available_from <= ep.ends:
            bad((*loc, "inject"), f"inject {inject.id!r} happened on {inject.available_from}, but the epilogue runs {ep.starts} to {ep.ends}: give the epilogue dates that include it")
        elif inject.id in scheduled:
            bad((*loc, "inject"), f"inject {inject.id!r} is also scheduled in a round: an epilogue's event lands only in the epilogue")
    return problems


def translation_problems(s: Scenario) -> list[ScenarioProblem]:
    """Every text of the case that lacks a language, with its place in the file: warnings, or errors
    when the scenario is marked bilingual. A reader of a missing language sees the English."""
    from game.scenario.text import Local

    problems: list[ScenarioProblem] = []
    names = {"vi": "Vietnamese", "en": "English"}

    def walk(value: object, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, Local):
            for code in value.missing():
                problems.append(ScenarioProblem(format_location(loc), f"no {names.get(code, code)} ({code}): give it as {{en: ..., {code}: ...}}"))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name), (*loc, name))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, (*loc, index))

    walk(s, ())
    return problems


def check_references(s: Scenario) -> None:
    problems = reference_problems(s)
    if s.bilingual:
        problems.extend(translation_problems(s))
    if problems:
        raise ScenarioError(problems)
