"""Which attempts a report covers: each learner's first attempt (the default, as in Moodle) or all
of them, closed within an optional date range. One form for the admin pages, the CSV and the API."""

import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_ATTEMPTS = "first"
ALL_ATTEMPTS = "all"
# Dates far outside these overflow when shifted into UTC or to the next day; no attempt is there.
EARLIEST_DAY = datetime.date(1900, 1, 1)
LATEST_DAY = datetime.date(9000, 12, 31)


@dataclass(frozen=True)
class AttemptFilter:
    """First attempts only, and closed at or after `closed_from` and before `closed_before` (aware)."""

    first_only: bool = True
    closed_from: datetime.datetime | None = None
    closed_before: datetime.datetime | None = None


class ReportFilterForm(forms.Form):
    attempts = forms.ChoiceField(
        label=_("Attempts"),
        choices=[(FIRST_ATTEMPTS, _("First attempt of each learner")), (ALL_ATTEMPTS, _("All attempts"))],
        required=False,
    )
    date_from = forms.DateField(
        label=_("Closed from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Closed until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_attempts(self):
        return self.cleaned_data["attempts"] or FIRST_ATTEMPTS

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise forms.ValidationError(_("Choose a date between 1900 and 9000."))
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        cleaned_data = super().clean()
        date_from, date_to = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end of the date range is before its start."))
        return cleaned_data

    def attempt_filter(self):
        """The validated choice as an AttemptFilter; call only when the form is valid."""
        date_from, date_to = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        return AttemptFilter(
            first_only=self.cleaned_data["attempts"] == FIRST_ATTEMPTS,
            closed_from=_start_of(date_from),
            closed_before=_start_of(date_to + datetime.timedelta(days=1)) if date_to else None,
        )


def _start_of(day):
    """Midnight at the start of a day in the site's time zone."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
