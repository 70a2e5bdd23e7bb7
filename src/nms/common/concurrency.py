"""Optimistic concurrency for every editable record: one mechanism for pages, the API and imports.

An editable model has `version = version_field()`. Every update service takes the record with
`claim(instance, expected_version)` inside its transaction before it writes:

    UPDATE … SET version = version + 1 WHERE pk = … AND version = <what the user saw>

One row changed: the record is ours (the UPDATE holds the row lock on PostgreSQL and the write
lock on SQLite until the transaction ends) and the instance is re-read from the row, so what
the service then sets lands on the current data. No row: someone saved since the user read the
record — `StaleRecord`, a ValidationError with a Russian message, and nothing is saved. Without
an expected version (the command line, internal calls) the record is still locked and re-read,
so a change of other fields is never overwritten.

- Pages: `add_version_field(form, instance)` puts the version the user saw into the form as a
  hidden field (`ServiceFormView` does it for every versioned model); on a refusal the user's
  input stays in the form and the hidden version moves to the current one (`save_through_service`).
- API: `expected_version(request, instance)` — the `If-Match` header (the detail GET answers
  `ETag: "<version>"`), else `version` in the body, else the version the object was read with;
  a refusal is 409 Conflict with the Russian message and the current version (`Conflict`).
- Imports read the rows they update with `select_for_update()` in the transaction that writes
  them and bump `version` with the other columns.
- The admin (it saves without the services): `VersionCheckedModelForm` carries the version the
  page showed as the hidden `seen_version`, locks and checks the row in `clean()` (the admin
  validates and saves in one transaction) and bumps the version on save; inline rows deleted
  from a stale page are refused by `VersionCheckedInlineFormSet`.
- Deleting takes the version too: `claim(instance, expected)` before `delete()`, a page sends
  the version it showed, an API DELETE its `If-Match` (`ScopedModelViewSet.perform_destroy`).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

STALE = (
    "Запись изменили, пока вы её редактировали: {what}. Ваши изменения не сохранены — они "
    "остались в форме; посмотрите текущие данные (обновите страницу в другой вкладке) "
    "и сохраните снова."
)
GONE = "Запись удалили, пока вы её редактировали."
BAD_VERSION = "Версия записи — целое положительное число (заголовок If-Match или поле version)."


def version_field():
    return models.PositiveIntegerField(
        "версия",
        default=1,
        editable=False,
        help_text="Растёт при каждом изменении; сохранение устаревшей копии отклоняется.",
    )


def is_versioned(model_or_instance) -> bool:
    if model_or_instance is None:
        return False
    try:
        model_or_instance._meta.get_field("version")
    except Exception:  # FieldDoesNotExist
        return False
    return True


class StaleRecord(ValidationError):
    """The record changed (or was decided) since the user read it."""

    def __init__(self, message: str, current_version: int | None = None):
        super().__init__(message, code="stale")
        self.current_version = current_version


def current_version(instance) -> int | None:
    manager = type(instance)._base_manager
    return manager.filter(pk=instance.pk).values_list("version", flat=True).first()


def claim(instance, expected_version: int | None = None, what: str = ""):
    """Take the record for a change: bump its version if it is still `expected_version` (any
    version when None), lock the row and re-read `instance` from it. Inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim() runs inside the update's transaction")
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        current = current_version(instance)
        if current is None:
            raise StaleRecord(GONE)
        raise StaleRecord(
            STALE.format(what=what or f"сейчас версия {current}, у вас — {expected_version}"),
            current,
        )
    instance.refresh_from_db()
    return instance


def bump(model, pks) -> None:
    """Bump the versions of rows changed by a bulk write (imports, state changes)."""
    model._base_manager.filter(pk__in=list(pks)).update(version=F("version") + 1)


# -- pages ---------------------------------------------------------------------------------------
class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {"required": "Форма устарела: обновите страницу.", "invalid": BAD_VERSION},
        )
        super().__init__(**kwargs)


def add_version_field(form, instance) -> None:
    """A hidden field with the version of `instance` the user saw (a versioned model only)."""
    if instance is not None and instance.pk and is_versioned(instance):
        form.fields["version"] = VersionField(initial=instance.version)


def move_to_current(form, error: StaleRecord, name: str = "version") -> None:
    """After a refusal the user's input stays; the hidden version becomes the current one, so
    sending the form again is a deliberate save over what they now know was changed."""
    if name in form.fields and error.current_version is not None and form.is_bound:
        form.data = form.data.copy()
        form.data[form.add_prefix(name)] = error.current_version


# -- API -----------------------------------------------------------------------------------------
class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, message: str, version: int | None = None):
        super().__init__(message)
        self.detail = {"detail": self.detail, "version": version}


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)


def etag(instance) -> str:
    return f'"{instance.version}"'


def _version(value) -> int:
    text = str(value).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip().strip('"')
    if not re.fullmatch(r"[0-9]{1,9}", text) or int(text) < 1:
        raise serializers.ValidationError({"version": [BAD_VERSION]})
    return int(text)


def expected_version(request, instance) -> int | None:
    """The version the client saw: If-Match, else `version` in the body, else the version read."""
    if not is_versioned(instance):
        return None
    header = request.headers.get("If-Match", "").strip()
    if header and header != "*":
        return _version(header.split(",")[0])
    data = request.data
    if hasattr(data, "get") and data.get("version") not in (None, ""):
        return _version(data.get("version"))
    return instance.version


def with_etag(response, instance):
    if is_versioned(instance):
        response["ETag"] = etag(instance)
    return response


# -- the admin -----------------------------------------------------------------------------------
SEEN_VERSION = "seen_version"


def _check_seen(instance, expected: int) -> None:
    """Lock the row (PostgreSQL) if it is still at `expected`, else StaleRecord. The admin checks
    and saves in one transaction, so the row stays as checked until the save bumps it."""
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    if not rows.filter(version=expected).exists():
        current = current_version(instance)
        if current is None:
            raise StaleRecord(GONE)
        raise StaleRecord(
            STALE.format(what=f"сейчас версия {current}, у вас — {expected}"), current
        )


class VersionCheckedModelForm(forms.ModelForm):
    """A model form of the admin (a change page or an inline row) for a versioned model: the
    version the user saw travels as the hidden `seen_version` (list it in the admin's `fields`);
    a save over a change made since then is refused with the user's input kept, and the save
    bumps the version. Inline rows deleted from a stale page: `VersionCheckedInlineFormSet`."""

    seen_version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[SEEN_VERSION].required = True
            self.fields[SEEN_VERSION].initial = self.instance.version

    def clean(self):
        data = super().clean()
        seen = data.get(SEEN_VERSION)
        if self.instance.pk and seen is not None and self.has_changed():
            try:
                _check_seen(self.instance, seen)
            except StaleRecord as error:
                move_to_current(self, error, SEEN_VERSION)
                raise
        return data

    def has_changed(self):
        return bool(set(self.changed_data) - {SEEN_VERSION})

    def save(self, commit=True):
        if self.instance.pk and self.has_changed():
            rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
            rows.update(version=F("version") + 1)  # the row is locked since `clean`
            self.instance.version = current_version(self.instance)
        return super().save(commit)


class VersionCheckedInlineFormSet(forms.BaseInlineFormSet):
    """Inline rows of `VersionCheckedModelForm`: a row deleted from a page older than its last
    change is refused as well."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            seen = getattr(form, "cleaned_data", {}).get(SEEN_VERSION)
            if form.instance.pk:
                _check_seen(form.instance, seen if seen is not None else 0)
