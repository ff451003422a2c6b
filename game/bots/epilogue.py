"""A bot team's answers in the epilogue: it reads the other side's credibility (game.bots.credibility)
through its persona and holds a deal made with a credible side, but presses to reopen a term of a
deal made with a divided or unbacked one.

A persona that credits the other side's word little (a low `empty_concession_credit`, the hardliner)
needs clear evidence of credibility before it holds; a generous one holds unless the other side gave
it reason to doubt.
"""

from __future__ import annotations

from collections.abc import Collection

from game.bots.credibility import PHRASES, estimate
from game.bots.strategy import label, title
from game.engine.facts import pressures_open
from game.engine.moves import AnswerPressure
from game.engine.state import MatchState
from game.engine.words import and_list, gettext_noop, sentence
from game.scenario import Scenario
from game.scenario.schema import Persona, Pressure

# The credibility (in [-1, 1]) a persona needs to hold: this much, less this much per unit of the credit
# it gives the other side's word. The hardliner (credit 0.2) needs 0.2; the dealseeker (0.7) holds at
# anything above -0.05, so only a side that gave reason to doubt it is pressed.
HOLD_FROM = 0.3
HOLD_FROM_PER_CREDIT = 0.5


def hold_threshold(persona: Persona) -> float:
    return HOLD_FROM - HOLD_FROM_PER_CREDIT * persona.empty_concession_credit


def _reopening(scenario: Scenario, state: MatchState, team: str, pressure: Pressure) -> tuple[str, str] | None:
    """The term to reopen and the option to ask: of the pressure's terms, the option worse for the other
    side than the deal that is worth most to us (None when the deal already gives them the least)."""
    ours, theirs = scenario.team(team).points, scenario.team(scenario.other_team(team)).points
    package = state.epilogue.package
    best: tuple[int, str, str] | None = None
    for issue in pressure.issues:
        now = package[issue]
        for option in scenario.issue(issue).option_ids():
            gain = ours[issue][option] - ours[issue][now]
            if theirs[issue][option] < theirs[issue][now] and gain > 0 and (best is None or gain > best[0]):
                best = (gain, issue, option)
    return None if best is None else (best[1], best[2])


def epilogue_move(
    scenario: Scenario, state: MatchState, team: str, persona: Persona, bot_seats: Collection[str] | None
) -> tuple[str, AnswerPressure] | None:
    """The team's answer to its next open pressure, and the bot seat that gives it, or None. In a team
    with a human, the humans answer: the bots never speak for them on the deal they signed."""
    open_ = pressures_open(scenario, state, team)
    seats = [r.id for r in scenario.roles_of(team) if bot_seats is None or r.id in bot_seats]
    if not open_ or not seats or len(seats) < len(scenario.roles_of(team)):
        return None
    pressure = scenario.epilogue.pressure(open_[0])
    credibility = estimate(scenario, state, team)
    other = scenario.team(scenario.other_team(team)).name
    figures = sentence(gettext_noop("Credibility of %(team)s: %(credibility)s; %(persona)s holds from %(threshold)s."),
                       team=other, credibility=f"{credibility.value:+.2f}", persona=persona.name, threshold=f"{hold_threshold(persona):+.2f}")
    said_terms = and_list(title(scenario, i) for i in pressure.issues)
    if credibility.value >= hold_threshold(persona):
        why = and_list(sentence(PHRASES[k]) for k in credibility.kinds(True)) or sentence(gettext_noop("nothing they did undercut their word"))
        return seats[0], AnswerPressure(
            pressure=pressure.id, choice="hold",
            note=sentence(gettext_noop("We hold the deal on %(terms)s: %(team)s has been credible (%(why)s), and our word is worth more than a reopened term."),
                          terms=said_terms, team=other, why=why),
            details=figures,
        )
    doubt = and_list(sentence(PHRASES[k]) for k in credibility.kinds(False)) or sentence(gettext_noop("%(team)s has given us little to go on"), team=other)
    reopen = _reopening(scenario, state, team, pressure)
    if reopen is None:
        return seats[0], AnswerPressure(
            pressure=pressure.id, choice="clarify",
            text=sentence(gettext_noop("The deal on %(terms)s stands as written, and we will hold %(team)s to every line of it."), terms=said_terms, team=other),
            note=sentence(gettext_noop("We doubt %(team)s (%(doubt)s), but the deal already gives them the least it can on %(terms)s: we clarify and keep it."),
                          team=other, doubt=doubt, terms=said_terms),
            details=figures,
        )
    issue, option = reopen
    return seats[0], AnswerPressure(
        pressure=pressure.id, choice="reopen", issue=issue, option=option,
        note=sentence(gettext_noop("We reopen %(issue)s and ask for %(option)s: %(doubt)s."), issue=title(scenario, issue), option=label(scenario, issue, option), doubt=doubt),
        details=figures,
    )
