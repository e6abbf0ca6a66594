"""The admin's inline formsets, and what they read: saved questions as the rules see them, and how
many attempts showed a question or choice (such rows are never deleted, so results keep showing what
learners saw).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from .. import authoring
from ..selectors.authoring import question_draft, questions_for_rules
from ..selectors.versions import attempts_showing_any_version


def refusal_to_delete(item, *, attempt_count):
    return ngettext(
        "“%(item)s” cannot be deleted: %(count)d attempt showed it, and its result must keep showing what the "
        "learner saw. Edit it instead, and regrade the quiz if the correction changes scores.",
        "“%(item)s” cannot be deleted: %(count)d attempts showed it, and their results must keep showing what "
        "the learners saw. Edit it instead, and regrade the quiz if the correction changes scores.",
        attempt_count,
    ) % {"item": authoring.question_label(str(item)), "count": attempt_count}


class PositionedInlineFormSet(forms.BaseInlineFormSet):
    """Numbers new rows after the existing ones, so editors need not type positions."""

    # Choices and citations have a unique position per question; questions may share one.
    has_unique_positions = True

    def _next_position(self):
        if not hasattr(self, "_first_new_position"):
            positions = [item.position for item in self.get_queryset()] if self.instance.pk else []
            self._first_new_position = max(positions, default=0) + 1
        return self._first_new_position

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None:
            # The blank row that "Add another" copies: numbered on save.
            kwargs["initial"] = {"position": None}
        elif index >= self.initial_form_count():
            kwargs["initial"] = {"position": self._next_position() + index - self.initial_form_count()}
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["position"].required = False

    def kept_forms(self):
        """Forms whose rows remain after saving: filled-in new rows and existing rows not marked for deletion."""
        return [
            form
            for form in self.forms
            if form.cleaned_data
            and not (self.can_delete and self._should_delete_form(form))
            and (form.instance.pk or form.has_changed())
        ]

    def clean(self):
        # Before Django's own checks: they stop at the first protected row with a vaguer message.
        self.refuse_deleting_shown()
        kept = self.kept_forms()
        next_position = max((form.cleaned_data.get("position") or 0 for form in kept), default=0) + 1
        for form in kept:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = form.instance.position = next_position
                next_position += 1
        positions = [form.cleaned_data["position"] for form in kept]
        repeated = sorted({position for position in positions if positions.count(position) > 1})
        if repeated and self.has_unique_positions:
            raise ValidationError(
                gettext(
                    "Several rows have position %(positions)s; give each row its own position, or leave it blank "
                    "to place the row last."
                )
                % {"positions": ", ".join(str(position) for position in repeated)}
            )
        super().clean()

    def save(self, commit=True):
        if commit:
            self.free_positions()
        return super().save(commit=commit)

    def free_positions(self):
        """Move rows that change position or go out of the way, before rows are saved one by one.

        Positions are unique per parent, so swapping two rows, or giving a new row the place of a
        deleted one, would otherwise collide halfway through.
        """
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk and (self._should_delete_form(form) or "position" in form.changed_data)
        ]
        if not moving:
            return
        taken = list(self.get_queryset().values_list("position", flat=True))
        taken += [form.cleaned_data.get("position") or 0 for form in self.forms if form.cleaned_data]
        free = max(taken, default=0) + 1
        for offset, pk in enumerate(moving):
            self.model._default_manager.filter(pk=pk).update(position=free + offset)

    def attempts_showing(self, item):
        """How many attempts showed a saved row; such rows are never deleted."""
        return 0

    def refuse_deleting_shown(self):
        """Refuse ticked deletions of rows that attempts have shown (answered rows are among them)."""
        refusals = []
        # Not self.deleted_forms: that is empty while any row has errors.
        for form in self.forms:
            if form.instance.pk and self.can_delete and self._should_delete_form(form):
                attempt_count = self.attempts_showing(form.instance)
                if attempt_count:
                    refusals.append(refusal_to_delete(form.instance, attempt_count=attempt_count))
        if refusals:
            raise ValidationError(refusals)


class ChoiceFormSet(PositionedInlineFormSet):
    # A shown choice may be deleted: the edit makes a new version without it, and the attempts that
    # showed it keep the version that has it (admin/versions.py).

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # An empty text gets the rule's message from authoring.py, not a generic "required".
        form.fields["text"].required = False

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        choices = [
            authoring.ChoiceDraft(text=form.cleaned_data.get("text") or "", is_correct=form.cleaned_data["is_correct"])
            for form in self.kept_forms()
        ]
        problems = authoring.choice_problems(kind=self.instance.kind, choices=choices)
        if problems:
            raise ValidationError(problems)


class CitationFormSet(PositionedInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        quiz = self.instance.quiz if self.instance.quiz_id else None
        if quiz is not None and quiz.is_published:
            problems = authoring.citation_problems(citation_count=len(self.kept_forms()))
            if problems:
                raise ValidationError(problems)


class QuizQuestionFormSet(PositionedInlineFormSet):
    has_unique_positions = False

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The topic menu of every row is the same: read the topics once, not once per row.
        if not hasattr(self, "_topic_choices"):
            self._topic_choices = list(form.fields["topic"].choices)
        form.fields["topic"].choices = self._topic_choices
        return form

    def attempts_showing(self, question):
        return attempts_showing_any_version(question)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        saved = {question.pk: question for question in questions_for_rules(self.get_queryset())}
        drafts = []
        for form in self.kept_forms():
            question = saved.get(form.instance.pk)
            if question is None:
                drafts.append(authoring.QuestionDraft(text=form.cleaned_data["text"], kind=form.cleaned_data["kind"]))
                continue
            draft = question_draft(question, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"])
            if draft.choices and draft.kind != question.kind:
                for problem in authoring.choice_problems(kind=draft.kind, choices=draft.choices):
                    form.add_error("kind", problem)
            drafts.append(draft)
        if any(self.errors) or not self.instance.is_published:
            return
        # Problems already in the saved questions are reported at the "published" checkbox;
        # here only the ones this edit would bring in (a new question, the last one deleted).
        if not authoring.publishing_problems(questions=[question_draft(q) for q in saved.values()]):
            problems = authoring.publishing_problems(questions=drafts)
            if problems:
                raise ValidationError(
                    [gettext("A published quiz must stay publishable; unpublish it first, or fix this:")] + problems
                )
