"""Uploaded files that no row needs any more leave the storage.

A service that deletes a row holding a file, or puts a new file in place of the old one, calls
`discard_on_commit` with the old file (or its name). The file goes only after the transaction
commits: deleted at once, it would be lost for good when the transaction rolls back (a refusal
further on, a stale version, a lost race) and the row comes back pointing to nothing. A crash
between the commit and the removal leaves an orphan at worst — `nms prune_media` finds those.

A name still referenced by any FileField of any model at that moment is kept: rows may share a
file (a route item's evidence is the file of the report accepted for it).

`orphans` finds the files no row refers to — left by a crash between a commit and the removal,
by an upload whose transaction rolled back, by a restore over older files. Files younger than
an hour are never orphans: the storage writes an upload before its row is committed, so a file
being uploaded right now has no row yet.
"""

import logging
import os
import time
from pathlib import Path

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


# -- orphans ------------------------------------------------------------------------------------
MIN_AGE_SECONDS = 3600


def stored_names() -> set[str]:
    """The names every FileField of every model refers to."""
    names = set()
    for model, field in file_fields():
        rows = model._base_manager.exclude(**{field.attname: ""})
        names.update(rows.values_list(field.attname, flat=True).distinct().iterator())
    return names


def orphans(root: Path, now: float | None = None) -> list[Path]:
    """The files under `root` (MEDIA_ROOT) that no row refers to, older than MIN_AGE_SECONDS;
    sorted."""
    if not root.is_dir():
        return []
    names = stored_names()
    oldest = (now if now is not None else time.time()) - MIN_AGE_SECONDS
    found = []
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            path = Path(folder, filename)
            if path.relative_to(root).as_posix() in names or path.is_symlink():
                continue
            if path.stat().st_mtime <= oldest:
                found.append(path)
    return sorted(found)


def remove_empty_folders(root: Path) -> None:
    """The folders under `root` left empty (a site's year, an item's folder), deepest first."""
    for folder, _dirs, _files in os.walk(root, topdown=False):
        path = Path(folder)  # its subfolders are done: look at what is there now
        if path != root and not any(path.iterdir()):
            path.rmdir()
