"""Small helpers shared by views."""

from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse


def save_through_service(form, call):
    """Run a service call for a valid form; put its ValidationError onto the form.

    Returns the service's result, or None when the form got errors.
    """
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return None


def require(condition: bool) -> None:
    """Pages a role lacks entirely answer 404, like objects outside the scope."""
    if not condition:
        raise Http404("Страница не найдена")


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
