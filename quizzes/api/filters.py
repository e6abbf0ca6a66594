"""Query parameters of the list endpoints. They validate input; the selectors do the filtering."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..models import Language


class QuizFilter(django_filters.FilterSet):
    language = django_filters.ChoiceFilter(choices=Language.choices, help_text=_("Only quizzes in this language."))
    topic = django_filters.CharFilter(max_length=80, help_text=_("Only quizzes on the topic with this slug."))
    search = django_filters.CharFilter(max_length=100, help_text=_("Words in the title or description."))

    def filter_queryset(self, queryset):
        return selectors.filter_catalogue(queryset, **self.form.cleaned_data)


class AttemptFilter(django_filters.FilterSet):
    quiz = django_filters.CharFilter(
        field_name="quiz__slug", max_length=80, help_text=_("Only attempts at the quiz with this slug.")
    )
