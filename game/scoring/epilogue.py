"""The epilogue's rules: how a team's answers to the aftermath's pressure on its deal count.

Reopening a signed term is backpedaling (a penalty on the index); holding or clarifying the deal with
a mandate every role endorsed is credibility kept (organisational power). The rules are registered in
game.scoring.rules (one table, one docs page); `judge_answer` is the scorer's hook for each answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.scenario.text import gettext_noop
from game.scoring.rules import L_ALIGN, Q_BACKPEDAL, Q_DEFINITION, Rule, _cite

if TYPE_CHECKING:
    from game.engine import Event
    from game.scoring.alignment import AlignmentTracker

EPILOGUE_RULES: tuple[Rule, ...] = (
    Rule(id="epilogue.deal_held", dimension="power", points=10, mark="!", title=gettext_noop("Deal held under pressure"),
         when=gettext_noop("In the epilogue, the team holds or clarifies the terms of its deal that an event presses it to reopen, "
              "with its mandate endorsed by every role."),
         reason=gettext_noop("After \"%(inject)s\", %(seat)s held the deal on %(terms)s with a mandate every role of %(team)s "
                             "endorsed: its word kept, so its credibility outlasts the deal."),
         variants={"clarified": gettext_noop("After \"%(inject)s\", %(seat)s clarified the deal on %(terms)s with a mandate every "
                                             "role of %(team)s endorsed: its word kept, so its credibility outlasts the deal.")},
         citation=_cite(Q_DEFINITION), lesson=L_ALIGN),
    Rule(id="epilogue.reopened", dimension="backpedal", points=-8, mark="??", title=gettext_noop("Signed term reopened"),
         when=gettext_noop("In the epilogue, the team reopens a term of the deal its table agreed, asking the other side for more."),
         reason=gettext_noop("After \"%(inject)s\", %(seat)s reopened %(term)s of the signed deal (it was %(was)s): backpedaling on what "
                "%(team)s signed gains a term and spends the credibility the deal was built on."),
         citation=_cite(Q_BACKPEDAL), lesson=L_ALIGN),
)


def judge_answer(tracker: AlignmentTracker, ev: Event) -> None:
    """Judge a team's answer to a pressure (read after the engine folded it)."""
    ix = tracker.ix
    pressure = ix.scenario.epilogue.pressure(ev.data["pressure"])
    inject = ix.injects[pressure.inject].title
    answer = tracker.state.epilogue.answers[pressure.id]
    if answer.choice == "reopen":
        tracker._fire("epilogue.reopened", ev.team, ev.actor, inject=inject, term=ix.term(answer.issue, answer.option),
                      was=ix.option_label[(answer.issue, answer.was)])
    elif tracker._mandate_status(ev.team)[0] == "endorsed":
        package = tracker.state.epilogue.package
        tracker._fire("epilogue.deal_held", ev.team, ev.actor, inject=inject,
                      variant=None if answer.choice == "hold" else "clarified",
                      terms=ix.terms([(i, package[i]) for i in pressure.issues]))
