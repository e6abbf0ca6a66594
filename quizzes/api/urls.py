"""API URLs: the versioned API under /api/v1/, and its schema and docs under /api/."""

from django.urls import path

app_name = "api"

urlpatterns = []
