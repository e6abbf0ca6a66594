"""Who may read statistics and teacher reports: the one rule that the admin pages and the API ask."""

# Held by the "Editors" group (migration 0004) and given to anyone else who reads how a class did.
REPORTS_PERMISSION = "quizzes.view_quiz_reports"


def can_view_reports(user):
    """Whether the user holds the reports permission (superusers hold every permission).

    Being staff is not enough, and not needed for the API; the admin's pages also need staff, as
    every admin page does.
    """
    return bool(user and user.is_authenticated and user.has_perm(REPORTS_PERMISSION))
