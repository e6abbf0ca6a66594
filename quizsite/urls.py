from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("quizzes.api.urls")),
    path("accounts/", include("quizzes.web.account_urls")),
    path("", include("quizzes.web.urls")),
]

# JSON under /api/, Django's pages elsewhere; 503 with Retry-After, not 500, when the database is
# busy or unreachable (quizzes/error_views.py).
handler400 = "quizzes.error_views.bad_request"
handler403 = "quizzes.error_views.permission_denied"
handler404 = "quizzes.error_views.page_not_found"
handler500 = "quizzes.error_views.server_error"
