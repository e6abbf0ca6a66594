"""Who may read teacher reports: the one rule that admin pages and the API both ask."""

REPORTS_PERMISSION = "quizzes.view_quiz_reports"


def can_view_reports(user):
    """Staff holding the reports permission (superusers hold every permission)."""
    return bool(user and user.is_active and user.is_staff and user.has_perm(REPORTS_PERMISSION))
