"""The production URLs, plus a bare view that returns constant JSON (the ceiling)."""

from django.http import JsonResponse
from django.urls import include, path

CEILING_PATH = "bench/ceiling/"


def ceiling(request):
    """The cheapest response Django can give through our middleware: what every scenario is compared to."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path(CEILING_PATH, ceiling),
    path("", include("quizsite.urls")),
]
