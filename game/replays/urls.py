"""Replay URLs (included at "" by negotiation_game/urls.py)."""

from django.urls import path

from game.replays import views

app_name = "replays"
urlpatterns = [
    path("replays/", views.library, name="library"),
    path("replays/workshop/<slug:code>/", views.workshop_library, name="workshop"),
    path("replays/facilitator/", views.facilitator_library, name="facilitator"),
    path("replays/<slug:public_id>/", views.replay_page, name="page"),
    path("replays/<slug:public_id>/export.json", views.export, name="export"),
    path("replays/<slug:public_id>/share/", views.share_create, name="share"),
    path("replays/<slug:public_id>/play-on/", views.play_on, name="play_on"),
    path("replays/<slug:public_id>/share/<int:share_id>/revoke/", views.share_revoke, name="revoke"),
    path("r/<slug:token>/", views.shared_page, name="shared"),
    path("r/<slug:token>/export.json", views.shared_export, name="shared_export"),
]
