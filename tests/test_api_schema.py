"""The OpenAPI schema builds without a warning, its docs work offline, and the API refuses strangers."""

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from config.api_router import router

pytestmark = pytest.mark.django_db

RESOURCES = [
    "agencies",
    "learning-objectives",
    "courses",
    "cohorts",
    "sessions",
    "exercises",
    "exercise-runs",
    "participants",
    "enrolments",
]


def test_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in schema["paths"]
    # API tokens are django-rest-knox's (hashed, expiring): drf-spectacular names their scheme knoxApiToken.
    assert {"cookieAuth", "knoxApiToken"} <= set(schema["components"]["securitySchemes"])


def test_schema_and_docs_pages_answer(client, coordinator):
    client.force_login(coordinator)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/cohorts/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI comes from drf-spectacular-sidecar through static files: no CDN, no internet.
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr" not in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


REGISTERED = sorted(prefix for prefix, _viewset, _basename in router.registry)


def test_the_resources_of_the_foundation_are_registered():
    assert set(RESOURCES) <= set(REGISTERED)


# Every API URL, these included, is also walked for anonymous users by tests/test_permission_walk.py.
@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_is_refused_everywhere(api_client, resource):
    assert api_client.get(f"/api/v1/{resource}/").status_code == 401
    assert api_client.get(f"/api/v1/{resource}/1/").status_code == 401
    assert api_client.post(f"/api/v1/{resource}/", {}).status_code == 401


def test_a_bad_token_is_refused(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.get("/api/v1/cohorts/")
    # 403 rather than 401: session authentication comes first and sends no WWW-Authenticate challenge.
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "Invalid token."


def test_every_operation_documents_the_one_error_shape(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    error = "#/components/schemas/Error"
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("400", "401", "403", "404"):
                body = operation["responses"].get(code, {}).get("content", {}).get("application/json", {})
                refs = [body.get("schema", {}).get("$ref")] + [
                    s.get("$ref") for s in body.get("schema", {}).get("anyOf", [])
                ]
                own = body.get("schema", {}).get("$ref", "")
                extends = own and "additionalProperties" in schema["components"]["schemas"][own.split("/")[-1]]
                if error not in refs and not extends:
                    missing.append(f"{method.upper()} {path} {code}")
    assert not missing, missing
    # Extensions keep the shape: optional fields of their own, field errors beside them.
    conflict = schema["components"]["schemas"]["ScheduleConflictError"]
    assert "required" not in conflict
    assert {"detail", "non_field_errors", "conflicts"} <= set(conflict["properties"])


def test_a_bare_list_error_is_answered_as_an_object():
    from rest_framework import serializers

    from core.api import exception_handler

    response = exception_handler(serializers.ValidationError("Refused."), {})
    assert response.data == {"non_field_errors": ["Refused."]}


def test_an_api_address_no_route_matches_answers_json(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/api/v1/exercise-runs/-2.2e-313/")  # matches no route (schemathesis found it)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_the_audit_endpoints_are_in_the_schema(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert "/api/v1/audit/" in paths
    assert "/api/v1/audit/verify/" in paths
    assert {p["name"] for p in paths["/api/v1/audit/"]["get"]["parameters"]} >= {"person", "action", "since", "page"}
