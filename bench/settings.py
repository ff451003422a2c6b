"""Settings for the benchmark server: the project's own, plus the two reference consumers' routes.

The same daphne process serves the game (ws/match/<public id>/...) and the floor references (ws/bench/...), so
all three are measured on one stack, one database and one channel layer (see bench/asgi.py).
"""

from negotiation_game.settings import *  # noqa: F403

ASGI_APPLICATION = "bench.asgi.application"
