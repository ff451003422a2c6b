from django.contrib.auth import views as auth_views
from django.urls import path

from game import views
from game.throttle import throttled

app_name = "game"
urlpatterns = [
    path("health/", views.health, name="health"),
    # Facilitator accounts (any Django user; `createsuperuser` works too).
    # Wrong passwords lock a username out from an address (django-axes); every sign-in attempt counts too.
    path("facilitator/login/", throttled("login", page=True, methods=("POST",))(auth_views.LoginView.as_view()), name="login"),
    path("facilitator/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("facilitator/signup/", views.facilitator_signup, name="signup"),
    # JSON API (docs/protocol.md, "HTTP endpoints").
    path("api/workshops/", views.api_workshop_create, name="api_workshop_create"),
    path("api/workshops/<slug:code>/", views.api_workshop_detail, name="api_workshop_detail"),
    path("api/workshops/<slug:code>/move-seat/", views.api_seat_move, name="api_seat_move"),
    path("api/workshops/<slug:code>/close/", views.api_workshop_close, name="api_workshop_close"),
    path("api/join/<slug:code>/", views.api_join_info, name="api_join_info"),
    path("api/join/<slug:code>/seat/", views.api_join, name="api_join"),
    path("api/join/<slug:code>/me/", views.api_join_me, name="api_join_me"),
    path("api/practice/", views.api_practice, name="api_practice"),
]
