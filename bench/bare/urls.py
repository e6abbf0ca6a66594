"""One view returning constant JSON: the cheapest response the bare framework gives."""

from django.http import JsonResponse
from django.urls import path


def ceiling(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/ceiling/", ceiling)]
