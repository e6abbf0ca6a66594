"""Who may call what, as small named classes."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from ..reports.access import can_view_reports


class IsStaff(BasePermission):
    """Editors and administrators: item statistics are for the people who write the questions."""

    message = _("Only staff may see quiz statistics.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class CanViewReports(BasePermission):
    """Staff with the reports permission (Editors, superusers): reports name learners and their scores."""

    message = _("Only staff with the reports permission may see quiz reports.")

    def has_permission(self, request, view):
        return can_view_reports(request.user)
