"""What the API tests of every app share."""

from rest_framework.test import APIClient


def client_for(user) -> APIClient:
    """An API client signed in as the user."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def ids(response) -> set[int]:
    """The ids of a paginated list answer (which must be a 200)."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def keys_anywhere(data) -> bool:
    """Whether an answer carries an answer key anywhere (the bank's keys must not leak)."""
    if isinstance(data, dict):
        return "key" in data or any(keys_anywhere(v) for v in data.values())
    if isinstance(data, list):
        return any(keys_anywhere(v) for v in data)
    return False
