"""Pages. Included at "" before game.urls (negotiation_game/urls.py), so "/" is the landing page."""

from django.urls import path

from game.web import views

app_name = "web"
urlpatterns = [
    path("", views.landing, name="home"),
    path("practice/", views.practice, name="practice"),
    path("join/", views.join_lookup, name="join_lookup"),
    path("join/<slug:code>/", views.join, name="join"),
    path("play/<slug:public_id>/", views.table, name="table"),
    path("play/<slug:public_id>/debrief/", views.debrief, name="debrief"),
    path("play/<slug:public_id>/debrief/export.<str:fmt>", views.debrief_export, name="debrief_export"),
    path("play/<slug:public_id>/drill/", views.drill, name="drill"),
    path("seeds/<slug:seed_id>/", views.seed, name="seed"),
    path("facilitator/", views.facilitator_home, name="facilitator"),
    path("facilitator/w/<slug:code>/", views.facilitator_console, name="console"),
    path("facilitator/w/<slug:code>/seats/", views.facilitator_seats, name="console_seats"),
    path("facilitator/w/<slug:code>/table/<int:table_no>/", views.facilitator_observe, name="observe"),
    path("facilitator/w/<slug:code>/debrief/", views.facilitator_debrief, name="workshop_debrief"),
    path("facilitator/w/<slug:code>/packs/", views.facilitator_packs, name="role_packs"),
    path("facilitator/w/<slug:code>/export.<str:fmt>", views.facilitator_export, name="workshop_export"),
]
