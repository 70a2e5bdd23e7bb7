"""The OpenAPI schema and its offline documentation page."""

import json
import re

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

API = "/api/v1"
PATHS = [
    "/api/v1/auth/token/",
    "/api/v1/me/",
    "/api/v1/municipalities/",
    "/api/v1/municipalities/{id}/",
    "/api/v1/organizations/",
    "/api/v1/organizations/{id}/",
    "/api/v1/people/",
    "/api/v1/people/{id}/",
    "/api/v1/employments/",
    "/api/v1/employments/{id}/",
    "/api/v1/positions/",
    "/api/v1/subjects/",
    "/api/v1/choices/",
]


@pytest.fixture
def client(db):
    return APIClient()


def test_schema_is_openapi_with_the_paths(client):
    response = client.get(f"{API}/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(PATHS) <= set(schema["paths"])
    people = schema["paths"]["/api/v1/people/"]
    assert {"get", "post"} <= set(people)
    filters = {p["name"] for p in people["get"]["parameters"]}
    assert {"q", "municipality", "young", "manager", "subject", "category", "page"} <= filters
    assert "delete" in schema["paths"]["/api/v1/employments/{id}/"]
    assert "delete" not in schema["paths"]["/api/v1/people/{id}/"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_schema_as_json(client):
    response = client.get(f"{API}/schema/", {"format": "json"})
    assert response.status_code == 200
    assert set(PATHS) <= set(json.loads(response.content)["paths"])


def test_schema_generates_without_warnings(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/v1/people/" in (tmp_path / "s.yml").read_text()


def test_docs_page_uses_only_local_assets(client):
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert not re.search(r"https?://", html)
    # Swagger UI's start script is the page's own address with ?script (no inline script: CSP).
    script = next(a for a in assets if a.startswith(f"{API}/docs/?"))
    for asset in assets:
        assert asset.startswith(("/static/", f"{API}/docs/?")), asset
        served = client.get(asset.replace("&amp;", "&"))
        assert served.status_code == 200, asset
        served.close()
    assert f"{API}/schema/" in client.get(script.replace("&amp;", "&")).content.decode()
