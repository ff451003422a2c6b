"""Personas: documented, distinct, and guessable at the end of a practice game."""

from __future__ import annotations

from pathlib import Path

from game.bots import persona_quiz, play_game
from game.engine.words import english

DOCS = Path(__file__).resolve().parents[2] / "docs" / "bots.md"


def test_the_default_scenario_has_three_personas_per_side(default_scenario):
    for team in default_scenario.team_ids():
        personas = default_scenario.personas_for(team)
        assert len(personas) >= 3
        assert {p.difficulty for p in personas} >= {"easy", "medium", "hard"}


def test_every_persona_is_documented(default_scenario, tiny):
    text = DOCS.read_text(encoding="utf-8")
    for persona in [*default_scenario.personas, *tiny.personas]:
        assert f"`{persona.id}`" in text, persona.id


def test_persona_quiz(default_scenario):
    quiz = persona_quiz(default_scenario, "us", "us_hardline")
    assert "United States" in english(quiz.question) or default_scenario.team("us").name in english(quiz.question)
    assert [c.difficulty for c in quiz.choices] == ["easy", "medium", "hard"]
    assert quiz.answer == "us_hardline" and quiz.is_correct("us_hardline") and not quiz.is_correct("us_pragmatic")
    assert "e=0.3" in english(quiz.explanation)


def test_harder_personas_get_more(default_scenario):
    """Against the same opponent, the hardline persona ends with more points than the deal-seeker."""
    def mean_points(us):
        values = []
        for seed in range(3):
            events = play_game(default_scenario, {"us": us, "vn": "vn_pragmatic"}, seed)
            end = events[-1]
            values.append(default_scenario.points("us", end.data["package"]) if end.data.get("result") == "deal" else default_scenario.team("us").batna)
        return sum(values) / len(values)

    assert mean_points("us_hardline") > mean_points("us_dealseeker")


def test_a_difficulty_or_an_unknown_persona_resolves_to_a_persona_of_the_team(default_scenario):
    from game.bots.play import resolve_persona

    assert resolve_persona(default_scenario, "vn", "vn_hardline").id == "vn_hardline"
    assert resolve_persona(default_scenario, "vn", "hard").id == "vn_hardline"
    assert resolve_persona(default_scenario, "us", "").id == "us_pragmatic"
    assert resolve_persona(default_scenario, "us", "nobody").id == "us_pragmatic"
