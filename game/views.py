"""HTTP views outside the game's pages (game.web): the health check and a facilitator's sign-up."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from game.models import ScenarioRecord
from game.throttle import throttled
from game.web.forms import SignupForm


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True, "scenarios": ScenarioRecord.objects.count()})


@require_http_methods(["GET", "POST"])
@throttled("signup", methods=("POST",))
def facilitator_signup(request: HttpRequest) -> HttpResponse:
    """A facilitator account (any Django user can run workshops)."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("web:facilitator")
    return render(request, "registration/signup.html", {"form": form})
