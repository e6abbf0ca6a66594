"""The learner-facing pages."""

from django.urls import path

from . import accounts, attempts, catalogue, results, review

app_name = "web"

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("quizzes/<slug:slug>/", catalogue.quiz_detail, name="quiz"),
    path("quizzes/<slug:slug>/start/", catalogue.start, name="start"),
    path("attempts/<uuid:attempt_id>/", attempts.attempt_page, name="attempt"),
    path("attempts/<uuid:attempt_id>/result/", results.result, name="result"),
    path("progress/", results.progress, name="progress"),
    path("review/", review.review_page, name="review"),
    path("language/", accounts.switch_language, name="language"),
]
