"""Websocket routes: a seat at a table, and a facilitator's console for a workshop."""

from django.urls import path

from game.realtime.consumers import FacilitatorConsumer, SeatConsumer

websocket_urlpatterns = [
    path("ws/match/<int:match_id>/", SeatConsumer.as_asgi()),
    path("ws/workshop/<int:workshop_id>/", FacilitatorConsumer.as_asgi()),
]
