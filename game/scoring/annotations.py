"""Annotations: every score change, attached to the move that caused it, and who may see it when."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from game.engine import FACILITATOR
from game.scenario import Scenario
from game.scenario.text import Text
from game.scoring.rules import Citation, Dimension, Mark


class Annotation(BaseModel):
    """One score change, in the spirit of a chess annotation.

    `seq` is the event that caused the change (the move being judged); `scored_at` is the event at
    which the scorer could judge it (equal to `seq`, or later when a rule waits for what follows,
    e.g. a commitment followed through is only known at the deal). `seat` is the role credited or
    blamed, None for a judgement on the whole team (a round's end).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int  # position in the match's list of annotations
    seq: int
    scored_at: int
    round: int
    team: str
    seat: str | None
    rule: str
    dimension: Dimension
    delta: int  # the rule's points: credit (+) or debit (-); for backpedal, the penalty on the index (-)
    effect: float  # how much the team's sub-score (backpedal: its index) changed because of it
    mark: Mark
    reason: Text | str  # a Text: the reader's language is chosen where it is shown (a plain string is shown as written)
    lesson: str  # the article's lesson the rule illustrates (one of its headings): an English message id
    citation: Citation


def annotations_visible_to(
    scenario: Scenario, annotations: Iterable[Annotation], seat: str, finished: bool
) -> list[Annotation]:
    """The annotations `seat` may see now.

    A seat sees its own team's annotations live and the other team's only once the game is
    finished; the facilitator sees everything; anyone else (an observer) sees nothing until the end.
    """
    annotations = list(annotations)
    if seat == FACILITATOR or finished:
        return annotations
    team = next((r.team for r in scenario.roles if r.id == seat), None)
    if team is None:
        return []
    return [a for a in annotations if a.team == team]
