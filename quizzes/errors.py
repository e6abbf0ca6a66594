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


# Most specific first: DeadlinePassed is an AttemptClosed, and every error is a QuizError.
STATUS_BY_ERROR = (
    (AttemptNotFound, 404),
    (NoAttemptsLeft, 403),
    (DeadlinePassed, 409),
    (AttemptClosed, 409),
    (InvalidAnswer, 400),
    (UsernameTaken, 400),
    (TooManyParallelRequests, 503),
    (QuizError, 409),
)


def status_code_of(error):
    """The HTTP status that answers a domain error, for the API and the pages alike."""
    for error_class, status_code in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status_code
    raise TypeError(f"Not a domain error: {error!r}")
