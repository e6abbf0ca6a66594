"""Forms of the learner pages: the attempt form (one field per question) and sign-up."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from ..parameters import posted_id
from ..services import AnswerInput


class AttemptForm(forms.Form):
    """One optional field per question of an attempt's page, radio buttons or checkboxes by question kind,
    and a checkbox per question to flag it "to review".

    The template renders the fields by hand (a fieldset per question), so the widgets only matter
    for validation: a posted choice must be one of that question's choices.
    """

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            options = [(str(choice.id), choice.text) for choice in question.choices]
            if question.is_multiple:
                self.fields[question.field_name] = forms.MultipleChoiceField(
                    choices=options, required=False, label=question.text, widget=forms.CheckboxSelectMultiple
                )
            else:
                self.fields[question.field_name] = forms.ChoiceField(
                    choices=options, required=False, label=question.text, widget=forms.RadioSelect
                )
            self.fields[question.flag_field_name] = forms.BooleanField(required=False)

    def selected_choice_ids(self):
        """Question id -> list of selected choice ids, from the posted data (valid or not)."""
        selected = {}
        for question in self.questions:
            values = self.data.getlist(question.field_name) if hasattr(self.data, "getlist") else []
            selected[question.id] = [choice_id for choice_id in map(posted_id, values) if choice_id is not None]
        return selected

    def answers(self):
        """The cleaned answers, one per open question (an empty one clears what was saved).

        A question a check locked is left out: its inputs are disabled, and its checked answer counts.
        """
        answers = []
        for question in self.questions:
            if question.is_locked:
                continue
            value = self.cleaned_data.get(question.field_name)
            values = value if isinstance(value, list) else ([value] if value else [])
            answers.append(AnswerInput(question_id=question.id, choice_ids=tuple(map(posted_id, values))))
        return answers

    def unanswered_numbers(self):
        """The numbers of the questions that the cleaned data leaves unanswered."""
        return [
            question.number
            for question in self.questions
            if not question.is_locked and not self.cleaned_data.get(question.field_name)
        ]

    def flags(self):
        """Question id -> whether the learner flagged it, for every question of the form."""
        return {question.id: self.cleaned_data.get(question.flag_field_name, False) for question in self.questions}


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")
        help_texts = {
            "username": _("Letters, digits and @/./+/-/_ only."),
            "email": _("Optional: only to reset your password if you forget it."),
        }
