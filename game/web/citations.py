"""A scenario citation as a page shows it: a seed quote links to its seed page with the passage
highlighted; a reference links out to its outlet and shows the fact in the scenario's own words."""

from __future__ import annotations

from typing import Any

from game.scenario import Scenario
from game.web.seeds import citation_url


def citation_view(scenario: Scenario, citation: Any) -> dict[str, Any]:
    """`citation` is a scenario citation, as a model or as the dict a seat's view carries."""
    c = citation if isinstance(citation, dict) else citation.model_dump()
    if c.get("kind") == "reference":
        return {"kind": "reference", "source": c["outlet"], "meta": c["date"], "text": c["fact"], "url": c["url"], "external": True}
    seed = scenario.seed(c["seed"])
    return {
        "kind": "seed_quote", "source": seed.title, "meta": c.get("where") or seed.outlet, "outlet": seed.outlet,
        "text": c["quote"], "url": citation_url(c["seed"], c["quote"], c.get("where")), "external": False,
    }
