"""Channel-layer group names, in one place.

- table group: every seat of a table; gets content-free notifications ("table.changed" {version},
  "presence.changed") -- each consumer then reads what it may see from the log;
- team group: the seats of one team at one table; gets team-private pushes (score annotations),
  so the other team's sockets never even receive them;
- seat group: the connections of one seat (to revoke them when the facilitator moves a trainee);
- workshop group: the facilitator's console; every table of the workshop sends it the same
  notifications as its own table group.
"""


def table_group(match_id: int) -> str:
    return f"table.{match_id}"


def team_group(match_id: int, team: str) -> str:
    return f"table.{match_id}.team.{team}"


def seat_group(match_id: int, role_id: str) -> str:
    return f"table.{match_id}.seat.{role_id}"


def workshop_group(workshop_id: int) -> str:
    return f"workshop.{workshop_id}"
