from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("quizzes.api.urls")),
    path("accounts/", include("quizzes.web.account_urls")),
    path("", include("quizzes.web.urls")),
]

# 503 with Retry-After, not 500, when the database is busy or unreachable (quizzes/outages.py).
handler500 = "quizzes.outages.server_error"
