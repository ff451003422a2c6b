from django.contrib.auth import views as auth_views
from django.urls import path

from game import views
from game.throttle import throttled

app_name = "game"
urlpatterns = [
    path("health/", views.health, name="health"),
    # Facilitator accounts (any Django user; `createsuperuser` works too).
    # Wrong passwords lock a username out from an address (django-axes); every sign-in attempt counts too.
    path("facilitator/login/", throttled("login", methods=("POST",))(auth_views.LoginView.as_view()), name="login"),
    path("facilitator/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("facilitator/signup/", views.facilitator_signup, name="signup"),
]
