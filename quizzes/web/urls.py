"""The learner-facing pages."""

from django.urls import path

from . import accounts, review, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("quizzes/<slug:slug>/", views.quiz_detail, name="quiz"),
    path("quizzes/<slug:slug>/start/", views.start, name="start"),
    path("attempts/<uuid:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<uuid:attempt_id>/result/", views.result, name="result"),
    path("progress/", views.progress, name="progress"),
    path("review/", review.review_page, name="review"),
    path("language/", accounts.switch_language, name="language"),
]
