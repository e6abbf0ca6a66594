"""The Content-Security-Policy header (quizzes/content_security.py): the site's one policy, built once,
exactly as django-csp builds it; anything a response asks for beyond it still goes through django-csp."""

import pytest
from csp.constants import NONCE
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from quizzes.content_security import CSPMiddleware

pytestmark = pytest.mark.django_db


def through_the_middleware(view):
    middleware = CSPMiddleware(view)
    return middleware(RequestFactory().get("/somewhere/"))


def test_pages_and_api_responses_carry_django_csps_own_policy(client):
    expected = build_policy()
    assert "default-src 'self'" in expected
    for path in ("/", "/api/v1/quizzes/", "/no-such-page/"):
        assert client.get(path)["Content-Security-Policy"] == expected


def test_a_views_own_change_of_the_policy_is_still_applied():
    def view(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://images.example.org"]}
        return response

    assert "https://images.example.org" in through_the_middleware(view)["Content-Security-Policy"]


@override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'self'"], "script-src": [NONCE]}})
def test_a_nonce_a_view_asked_for_is_in_its_header():
    def view(request):
        return HttpResponse(str(request.csp_nonce))

    response = through_the_middleware(view)

    assert f"'nonce-{response.content.decode()}'" in response["Content-Security-Policy"]


def test_a_changed_setting_changes_the_header():
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        changed = through_the_middleware(lambda request: HttpResponse("ok"))["Content-Security-Policy"]
    assert changed == "default-src 'none'"
    assert through_the_middleware(lambda request: HttpResponse("ok"))["Content-Security-Policy"] == build_policy()
