"""The learner-facing pages."""

from django.urls import path

app_name = "web"

urlpatterns = []
