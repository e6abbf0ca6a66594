"""Who may call what, as small named classes."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class IsStaff(BasePermission):
    """Editors and administrators: item statistics are for the people who write the questions."""

    message = _("Only staff may see quiz statistics.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)
