"""The OpenAPI document lists every endpoint with its body (read off the page forms), the key header and
both ways in; there is no docs page pulling assets from a CDN."""

import pytest

from web.field.forms import ContactForm, ContributionForm, EnrolForm

pytestmark = [pytest.mark.django_db]

SCHEMA = "/api/v1/openapi.json"


def test_the_schema_lists_the_endpoints(client):
    schema = client.get(SCHEMA).json()
    assert {path: sorted(methods) for path, methods in schema["paths"].items()} == {
        "/api/v1/enrolments": ["post"],
        "/api/v1/acquisitions/{acquisition_id}/contributions": ["post"],
        "/api/v1/acquisitions/{acquisition_id}/contacts": ["post"],
        "/api/v1/quote": ["get"],
        "/api/v1/participants": ["get"],
    }
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "AgentSession"}


@pytest.mark.parametrize(
    "path, form",
    [
        ("/api/v1/enrolments", EnrolForm),
        ("/api/v1/acquisitions/{acquisition_id}/contributions", ContributionForm),
        ("/api/v1/acquisitions/{acquisition_id}/contacts", ContactForm),
    ],
)
def test_each_write_takes_its_forms_fields_and_the_idempotency_key(client, path, form):
    operation = client.get(SCHEMA).json()["paths"][path]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == set(form.base_fields) - {"client_key"}
    assert set(body["required"]) == {name for name, field in form.base_fields.items() if field.required}
    header = next(parameter for parameter in operation["parameters"] if parameter["in"] == "header")
    assert (header["name"], header["required"]) == ("Idempotency-Key", True)
    assert set(operation["responses"]) == {"200", "201", "403", "404", "409", "422"}


def test_there_is_no_docs_page(client):
    assert client.get("/api/v1/docs").status_code == 404
