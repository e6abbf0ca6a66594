"""Who may call what, as small named classes."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission

from ..interchange.access import can_export_questions, can_import_questions
from ..owners import Owner
from ..reports.access import can_view_reports


class CanViewQuizReports(BasePermission):
    """Statistics and reports are for those who hold the reports permission, staff or not."""

    message = _("You need the permission to view quiz statistics and reports.")

    def has_permission(self, request, view):
        return can_view_reports(request.user)


class CanImportQuestions(BasePermission):
    """Importing files writes questions: for those who may author them (the Editors group)."""

    message = _("You need the permissions to author questions to import them.")

    def has_permission(self, request, view):
        return can_import_questions(request.user)


class CanExportQuestions(BasePermission):
    """An export carries every right answer: for those who may read questions as editors do."""

    message = _("You need the permission to view questions as an editor to export them.")

    def has_permission(self, request, view):
        return can_export_questions(request.user)


class MethodCheckedFirst:
    """A view mixin: a method the view does not offer is a 405 for everyone.

    DRF authenticates and checks permissions before it looks for the method's handler, so without
    this a learner's POST to a read-only endpoint would be told 403 and a visitor's 401.
    """

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


class IsOwner(BasePermission):
    """A signed-in user (token or session), or a guest GuestSessionAuthentication found in the session."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) or isinstance(request.auth, Owner)
