"""The one mapping of domain errors to HTTP statuses (quizzes/errors.py), for the API and the pages."""

from quizzes import errors


def every_domain_error(base=errors.QuizError):
    for subclass in base.__subclasses__():
        yield subclass
        yield from every_domain_error(subclass)


def test_every_domain_error_has_a_status_of_its_own():
    # Two errors once fell through to QuizError's generic 409 because nobody listed them.
    listed = {error_class for error_class, _status in errors.STATUS_BY_ERROR}
    assert sorted(error.__name__ for error in every_domain_error() if error not in listed) == []


def test_a_more_specific_error_is_listed_before_the_errors_it_is_a_kind_of():
    order = [error_class for error_class, _status in errors.STATUS_BY_ERROR]
    for position, error_class in enumerate(order):
        assert not any(issubclass(error_class, earlier) for earlier in order[:position]), error_class.__name__


def test_each_error_gets_the_status_listed_for_it():
    for error_class, status in errors.STATUS_BY_ERROR:
        assert errors.status_code_of(error_class()) == status
