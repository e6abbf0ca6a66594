"""The production URLs, plus a constant JSON view behind the project's own middleware (a reference row
beside the bare app's ceiling in bench/bare/, so the cost of the middleware shows)."""

from django.http import JsonResponse
from django.urls import include, path

CEILING_PATH = "bench/ceiling/"


def ceiling(request):
    """The cheapest response Django can give through our middleware."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path(CEILING_PATH, ceiling),
    path("", include("quizsite.urls")),
]
