"""API views about one quiz or attempt speak that quiz's language unless the client asks for another
(quizzes/languages.py decides)."""

from django.utils import translation

from .. import languages, selectors
from .authentication import owner_of


class SpeaksQuizLanguage:
    """A mixin for API views about one quiz or attempt.

    A view calls `use_quiz_language()` once it has read the quiz; errors raised before that (a
    service's refusal, invalid input) find the language through `quiz_language()`, which views
    about an attempt look up only then, so a request that succeeds pays no query for it.
    """

    quiz_language_in_use = None

    def use_quiz_language(self, quiz_language):
        self.quiz_language_in_use = languages.use_for_response(self.request, quiz_language=quiz_language)

    def quiz_language(self):
        """The language of the quiz this request is about, read for an error; None if there is none to tell."""
        return None

    def error_language(self):
        """The language an error of this request is told in."""
        if self.quiz_language_in_use is not None:
            return self.quiz_language_in_use
        requested = languages.requested_language(self.request)
        return requested or languages.response_language(self.request, quiz_language=self.quiz_language())

    def validated_input(self, serializer_class):
        """The request body validated by `serializer_class`; field errors in the error language.

        DRF renders a field error's text when validating, so an invalid body is validated once more
        in the language of the response.
        """
        body = serializer_class(data=self.request.data)
        if body.is_valid():
            return body.validated_data
        with translation.override(self.error_language()):
            body = serializer_class(data=self.request.data)
            body.is_valid(raise_exception=True)
        return body.validated_data


class QuizOfAttempt(SpeaksQuizLanguage):
    """Views about one of the caller's attempts: an error speaks its quiz's language (one query, on errors only)."""

    def quiz_language(self):
        return selectors.quiz_language_of_attempt(attempt_id=self.kwargs["attempt_id"], owner=owner_of(self.request))
