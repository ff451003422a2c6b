"""ASGI entry point: Django for HTTP, Channels for websockets (Origin checked exactly: negotiation_game.origins)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "negotiation_game.settings")
django_asgi_app = get_asgi_application()  # must run before importing anything that touches models

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from game.realtime.routing import websocket_urlpatterns  # noqa: E402
from negotiation_game.origins import OriginCheck  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginCheck(URLRouter(websocket_urlpatterns)),
    }
)
