"""Domain errors raised by services. The API and the pages each map them to a response in one place."""

from django.utils.translation import gettext_lazy as _


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
