"""The project's ASGI application with the reference consumers of bench/floor.py added (bench only)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from bench.floor import DurableFloorConsumer, EchoConsumer  # noqa: E402
from game.realtime.routing import websocket_urlpatterns  # noqa: E402
from negotiation_game.origins import OriginCheck  # noqa: E402

bench_urlpatterns = [
    path("ws/bench/echo/<int:room>/", EchoConsumer.as_asgi()),
    path("ws/bench/floor/<int:room>/", DurableFloorConsumer.as_asgi()),
]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginCheck(URLRouter(websocket_urlpatterns + bench_urlpatterns)),
    }
)
