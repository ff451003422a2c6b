"""Websocket routes: a seat at a table, and a facilitator's console for a workshop."""

from channels.auth import AuthMiddlewareStack
from django.urls import path

from game.realtime.consumers import FacilitatorConsumer, SeatConsumer

# Only the facilitator's console needs the signed-in user (a session read and a user query on the
# database thread per connection); a seat is its secret alone, so seat sockets skip that middleware --
# which matters when a whole room reconnects at once.
websocket_urlpatterns = [
    path("ws/match/<str:public_id>/", SeatConsumer.as_asgi()),
    path("ws/workshop/<str:public_id>/", AuthMiddlewareStack(FacilitatorConsumer.as_asgi())),
]
