"""HTTP views: thin, reading through selectors and writing through services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from game.models import ScenarioRecord


def home(request: HttpRequest) -> HttpResponse:
    scenarios = ScenarioRecord.objects.order_by("scenario_id", "version")
    return render(request, "game/home.html", {"scenarios": scenarios})


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True, "scenarios": ScenarioRecord.objects.count()})
