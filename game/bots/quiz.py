"""Practice mode with a hidden persona: the "which persona was it?" question asked after the game."""

from __future__ import annotations

from dataclasses import dataclass

from game.scenario import Scenario


@dataclass(frozen=True)
class Choice:
    id: str
    name: str
    difficulty: str
    description: str


@dataclass(frozen=True)
class PersonaQuiz:
    question: str
    choices: tuple[Choice, ...]
    answer: str  # the persona id
    explanation: str

    def is_correct(self, choice_id: str) -> bool:
        return choice_id == self.answer


def persona_quiz(scenario: Scenario, team: str, persona_id: str) -> PersonaQuiz:
    """The question, every persona the team's bot could have had (easiest first), and the answer."""
    persona = scenario.persona(persona_id)
    order = {"easy": 0, "medium": 1, "hard": 2}
    candidates = sorted(scenario.personas_for(team), key=lambda p: (order[p.difficulty], p.id))
    if persona not in candidates:
        candidates.append(persona)
    name = scenario.team(team).name
    explanation = (
        f"It was {persona.name} ({persona.difficulty}): concession exponent e={persona.concession:g}"
        f" ({'holds firm' if persona.concession < 1 else 'concedes early' if persona.concession > 1 else 'concedes steadily'}),"
        f" reservation {persona.reservation_margin} points above its BATNA, empty concessions credited at"
        f" {persona.empty_concession_credit:.0%}, a backpedal cost {persona.backpedal_penalty} points for"
        f" {persona.backpedal_memory} exchanges. {persona.description}"
    )
    return PersonaQuiz(
        question=f"Which persona was playing {name}?",
        choices=tuple(Choice(p.id, p.name, p.difficulty, p.description) for p in candidates),
        answer=persona.id,
        explanation=explanation,
    )
