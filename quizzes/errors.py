"""Domain errors raised by services and selectors, and the one mapping of each to an HTTP status that the
API and the pages share."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


def _formatted(message, values):
    return str(message) % values


def message_with(message, **values):
    """`message % values`, translated when it is shown, not when it is raised: a lazy message's
    placeholders filled in the language of the response that tells it."""
    return lazy(_formatted, str)(message, values)


class QuizError(Exception):
    """Base of every domain error; `message` is safe to show a learner."""

    default_message = _("The request could not be carried out.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class NoAttemptsLeft(QuizError):
    default_message = _("You have used all attempts allowed for this quiz.")


class AttemptClosed(QuizError):
    default_message = _("This attempt has already been submitted.")


class DeadlinePassed(AttemptClosed):
    """The attempt no longer takes answers because its time limit passed."""

    default_message = _("The time limit for this attempt has passed; it was scored from the answers saved in time.")


class QuestionLocked(QuizError):
    """A check locked this question: its checked answer counts and can no longer change."""

    default_message = _("This question is already checked; its answer can no longer be changed.")


class ChecksNotOffered(QuizError):
    """The quiz's behaviour has no checks: its answers are scored when the attempt is submitted."""

    default_message = _("This quiz scores its answers when you submit them; it has no Check button.")


class InvalidAnswer(QuizError):
    default_message = _("This answer is not valid for this question.")


class AttemptNotFound(QuizError):
    """No attempt with that id belongs to the caller (deliberately the same for 'exists, not yours')."""

    default_message = _("No such attempt.")


class TooManyParallelRequests(QuizError):
    """Parallel requests kept colliding on the same attempt numbers; a retry in a moment succeeds."""

    default_message = _("Too many parallel requests; please try again.")


class UsernameTaken(QuizError):
    """Another account has this username, in the same or another letter case."""

    default_message = _("This username is taken.")


class NotInReview(QuizError):
    """The learner has no memory of this question, or review may not show it (deliberately one answer)."""

    default_message = _("This question is not in your review.")


class AnswersHidden(QuizError):
    """The quiz does not show this attempt's answers (yet), so its mistakes cannot be practised."""

    default_message = _("This quiz does not show the answers of this attempt, so its mistakes cannot be practised yet.")


class AttemptStillOpen(QuizError):
    """The attempt is still being taken: its mistakes are known, and practised, once it is submitted."""

    default_message = _("This attempt is still in progress; submit it first, then practise its mistakes.")


class ImportHasErrors(QuizError):
    """A file to import has errors, so nothing of it was written; `preview` lists them with their lines."""

    default_message = _("The file has errors, so nothing was imported.")

    def __init__(self, preview=None, message=None):
        self.preview = preview
        super().__init__(message)


class ImportChangedSincePreview(QuizError):
    """The quiz's questions changed between a preview and its confirmation; nothing was written."""

    default_message = _("The quiz changed since the preview, so nothing was imported; preview the file again.")


class VersionsDoNotMatch(QuizError):
    """Attempts cannot move from one version of a question onto another."""

    default_message = _(
        "Attempts can move only onto another version of the same question whose choices are at the same positions."
    )


class QuestionChangedMeanwhile(QuizError):
    """The question edited was replaced by a newer version since the edit began."""

    default_message = _("Someone saved a new version of this question meanwhile; make your edit on that version.")


# Most specific first: DeadlinePassed is an AttemptClosed, and every error is a QuizError.
STATUS_BY_ERROR = (
    (AttemptNotFound, 404),
    (NotInReview, 404),
    (AnswersHidden, 403),
    (AttemptStillOpen, 409),
    (NoAttemptsLeft, 403),
    (DeadlinePassed, 409),
    (AttemptClosed, 409),
    (QuestionLocked, 409),
    (ChecksNotOffered, 409),
    (InvalidAnswer, 400),
    (UsernameTaken, 400),
    (ImportHasErrors, 400),
    (ImportChangedSincePreview, 409),
    (VersionsDoNotMatch, 409),
    (QuestionChangedMeanwhile, 409),
    (TooManyParallelRequests, 503),
    (QuizError, 409),
)


def status_code_of(error):
    """The HTTP status that answers a domain error, for the API and the pages alike."""
    for error_class, status_code in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status_code
    raise TypeError(f"Not a domain error: {error!r}")
