"""API URLs: the versioned API under /api/v1/, and its schema and docs under /api/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import accounts, attempts, checks, flags, interchange, progress, quizzes, reports, review

app_name = "api"

urlpatterns = [
    path("v1/quizzes/", quizzes.QuizListView.as_view(), name="quiz-list"),
    path("v1/quizzes/<slug:slug>/", quizzes.QuizDetailView.as_view(), name="quiz-detail"),
    path("v1/quizzes/<slug:slug>/attempts/", attempts.StartAttemptView.as_view(), name="attempt-start"),
    path("v1/quizzes/<slug:slug>/statistics/", quizzes.QuizStatisticsView.as_view(), name="quiz-statistics"),
    path("v1/quizzes/<slug:slug>/report/", reports.QuizReportView.as_view(), name="quiz-report"),
    path("v1/quizzes/<slug:slug>/import/", interchange.QuizImportView.as_view(), name="quiz-import"),
    path("v1/quizzes/<slug:slug>/export/", interchange.QuizExportView.as_view(), name="quiz-export"),
    path("v1/attempts/", attempts.AttemptListView.as_view(), name="attempt-list"),
    path("v1/attempts/<uuid:attempt_id>/", attempts.AttemptDetailView.as_view(), name="attempt-detail"),
    path(
        "v1/attempts/<uuid:attempt_id>/answers/<int:question_id>/",
        attempts.SaveAnswerView.as_view(),
        name="attempt-answer",
    ),
    path(
        "v1/attempts/<uuid:attempt_id>/answers/<int:question_id>/check/",
        checks.CheckAnswerView.as_view(),
        name="attempt-check",
    ),
    path(
        "v1/attempts/<uuid:attempt_id>/flags/<int:question_id>/",
        flags.FlagQuestionView.as_view(),
        name="attempt-flag",
    ),
    path("v1/attempts/<uuid:attempt_id>/submit/", attempts.SubmitAttemptView.as_view(), name="attempt-submit"),
    path("v1/me/progress/", progress.ProgressView.as_view(), name="progress"),
    path("v1/me/review/", review.ReviewQueueView.as_view(), name="review"),
    path("v1/me/review/<int:question_id>/", review.ReviewAnswerView.as_view(), name="review-answer"),
    path("v1/auth/register/", accounts.RegisterView.as_view(), name="register"),
    path("v1/auth/token/", accounts.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start script as a file, which the Content-Security-Policy allows.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="quizzes/api_docs.html"),
        name="docs",
    ),
]
