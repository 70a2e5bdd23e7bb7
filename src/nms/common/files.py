"""Uploaded files that no row needs any more leave the storage.

A service that deletes a row holding a file, or puts a new file in place of the old one, calls
`discard_on_commit` with the old file (or its name). The file goes only after the transaction
commits: deleted at once, it would be lost for good when the transaction rolls back (a refusal
further on, a stale version, a lost race) and the row comes back pointing to nothing. A crash
between the commit and the removal leaves an orphan at worst — `nms prune_media` finds those.

A name still referenced by any FileField of any model at that moment is kept: rows may share a
file (a route item's evidence is the file of the report accepted for it).
"""

import logging

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction

log = logging.getLogger(__name__)


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every concrete FileField (ImageField included) of every installed model."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and field.concrete
    ]


def referenced(names) -> set[str]:
    """Those of `names` that some row of some model still refers to."""
    names = set(names)
    found = set()
    for model, field in file_fields():
        if not names - found:
            break
        rows = model._base_manager.filter(**{f"{field.attname}__in": names - found})
        found.update(rows.values_list(field.attname, flat=True))
    return found


def discard_on_commit(*files) -> None:
    """Remove the stored `files` (FieldFiles or names; empty ones are skipped) once the current
    transaction commits — nothing if it rolls back, nothing that a row still refers to."""
    names = {name for f in files if (name := getattr(f, "name", f))}
    if names:
        transaction.on_commit(lambda: _remove(names), robust=True)


def _remove(names: set[str]) -> None:
    """From the default storage: every FileField of the project keeps its files there."""
    for name in sorted(names - referenced(names)):
        default_storage.delete(name)
        log.info("removed the stored file %s", name)
