"""Practice mode with a hidden persona: the "which persona was it?" question asked after the game."""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.words import Text, gettext_noop, paragraph, sentence
from game.scenario import Scenario


@dataclass(frozen=True)
class Choice:
    id: str
    name: str
    difficulty: str
    description: str


@dataclass(frozen=True)
class PersonaQuiz:
    question: Text
    choices: tuple[Choice, ...]
    answer: str  # the persona id
    explanation: Text | str

    def is_correct(self, choice_id: str) -> bool:
        return choice_id == self.answer


# A bot's difficulty named inside a sentence.
DIFFICULTY_WORDS = {"easy": gettext_noop("easy"), "medium": gettext_noop("medium"), "hard": gettext_noop("hard")}


def persona_quiz(scenario: Scenario, team: str, persona_id: str) -> PersonaQuiz:
    """The question, every persona the team's bot could have had (easiest first), and the answer."""
    persona = scenario.persona(persona_id)
    order = {"easy": 0, "medium": 1, "hard": 2}
    candidates = sorted(scenario.personas_for(team), key=lambda p: (order[p.difficulty], p.id))
    if persona not in candidates:
        candidates.append(persona)
    name = scenario.team(team).name
    style = gettext_noop("holds firm") if persona.concession < 1 else gettext_noop("concedes early") if persona.concession > 1 else gettext_noop("concedes steadily")
    explanation = paragraph(
        sentence(
            gettext_noop("It was %(persona)s (%(difficulty)s): concession exponent e=%(e)s (%(style)s), reservation %(margin)s points above its BATNA,"
              " empty concessions credited at %(credit)s, a backpedal cost %(penalty)s points for %(memory)s exchanges."),
            persona=persona.name, difficulty=sentence(DIFFICULTY_WORDS[persona.difficulty]), e=f"{persona.concession:g}", style=sentence(style),
            margin=persona.reservation_margin, credit=f"{persona.empty_concession_credit:.0%}", penalty=persona.backpedal_penalty,
            memory=persona.backpedal_memory,
        ),
        persona.description,
    )
    return PersonaQuiz(
        question=sentence(gettext_noop("Which persona was playing %(team)s?"), team=name),
        choices=tuple(Choice(p.id, p.name, p.difficulty, p.description) for p in candidates),
        answer=persona.id,
        explanation=explanation,
    )
