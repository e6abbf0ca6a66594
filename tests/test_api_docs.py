"""The API describes itself: a valid OpenAPI 3 schema and interactive docs that work offline."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ERRORS_BY_OPERATION = {
    ("/api/v1/quizzes/{slug}/", "get"): {"404"},
    ("/api/v1/quizzes/{slug}/attempts/", "post"): {"201", "200", "401", "403", "404", "429"},
    ("/api/v1/quizzes/{slug}/statistics/", "get"): {"401", "403", "404"},
    ("/api/v1/attempts/", "get"): {"401"},
    ("/api/v1/attempts/{attempt_id}/", "get"): {"401", "404"},
    ("/api/v1/attempts/{attempt_id}/answers/{question_id}/", "put"): {"400", "401", "404", "409"},
    ("/api/v1/attempts/{attempt_id}/submit/", "post"): {"400", "401", "404", "409", "429"},
    ("/api/v1/me/progress/", "get"): {"401"},
    ("/api/v1/auth/register/", "post"): {"201", "400", "429"},
    ("/api/v1/auth/token/", "post"): {"400", "429"},
}


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_schema_documents_every_endpoint_with_its_errors(api_client):
    response = api_client.get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for (path, method), codes in ERRORS_BY_OPERATION.items():
        operation = schema["paths"][path][method]
        assert codes <= set(operation["responses"]), (path, method, sorted(operation["responses"]))
        assert operation.get("summary"), (path, method)
    list_parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/quizzes/"]["get"]["parameters"]}
    assert {"language", "topic", "search", "page", "page_size"} <= list_parameters


def test_schema_components_are_not_described_by_a_base_classs_implementation_notes(api_client):
    # drf-spectacular describes a serializer by the first docstring in its class hierarchy, so a
    # shared base class's docstring about how it serializes once described seven components.
    schema = yaml.safe_load(api_client.get("/api/schema/").content)
    descriptions = {
        name: component.get("description", "") for name, component in schema["components"]["schemas"].items()
    }
    assert {name: text for name, text in descriptions.items() if "serializer" in text.casefold()} == {}


def test_docs_page_loads_swagger_ui_from_our_own_static_files(api_client):
    response = api_client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn." not in page and "unpkg" not in page


def test_schema_says_the_autosave_takes_a_guests_browser_session_and_refuses_it_without_csrf(api_client):
    schema = yaml.safe_load(api_client.get("/api/schema/").content)
    guest_paths = ["/api/v1/attempts/{attempt_id}/answers/{question_id}/", "/api/v1/attempts/{attempt_id}/flags/{question_id}/"]
    guest_session = schema["components"]["securitySchemes"]["guestSession"]

    for path in guest_paths:
        assert {"guestSession": []} in schema["paths"][path]["put"]["security"]
        assert "403" in schema["paths"][path]["put"]["responses"]
    assert guest_session["in"] == "cookie" and "CSRF" in guest_session["description"]
    # Only the autosave, the check and the flag (the attempt page's calls) and spaced review (which
    # guests use from their pages) take a guest: every other operation still needs a token or a signed-in session.
    guests_operations = {
        ("/api/v1/attempts/{attempt_id}/answers/{question_id}/", "put"),
        ("/api/v1/attempts/{attempt_id}/answers/{question_id}/check/", "post"),
        ("/api/v1/attempts/{attempt_id}/flags/{question_id}/", "put"),
        ("/api/v1/me/review/", "get"),
        ("/api/v1/me/review/{question_id}/", "post"),
    }
    for path, method in guests_operations:
        assert {"guestSession": []} in schema["paths"][path][method]["security"]
    check = schema["paths"]["/api/v1/attempts/{attempt_id}/answers/{question_id}/check/"]["post"]
    assert "403" in check["responses"]
    other_operations = [
        operation
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if (path, method) not in guests_operations
    ]
    assert all({"guestSession": []} not in operation.get("security", []) for operation in other_operations)
