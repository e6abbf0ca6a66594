"""Who may import questions into a quiz and export them: the one rule that the admin and the API ask."""

# An import creates and changes questions with their choices and citations, and changes the quiz.
IMPORT_PERMISSIONS = (
    "quizzes.change_quiz",
    "quizzes.add_question",
    "quizzes.change_question",
    "quizzes.add_choice",
    "quizzes.change_choice",
    "quizzes.delete_choice",
    "quizzes.add_citation",
    "quizzes.delete_citation",
)
# An export reads a quiz's questions with their right answers, which learners must not see.
EXPORT_PERMISSIONS = ("quizzes.view_quiz", "quizzes.view_question")


def can_import_questions(user) -> bool:
    """Whether the user may import files into quizzes (the "Editors" group and superusers may)."""
    return bool(user and user.is_authenticated and user.has_perms(IMPORT_PERMISSIONS))


def can_export_questions(user) -> bool:
    """Whether the user may export quizzes' questions, right answers included."""
    return bool(user and user.is_authenticated and user.has_perms(EXPORT_PERMISSIONS))
