"""`nms prune_media [--delete]`: the files under MEDIA_ROOT that no FileField of any model refers
to — left by a crash between a commit and the file's removal (nms.common.files), by an upload
whose transaction rolled back, by a restore over older files. A dry run by default.

Files younger than an hour are never touched: the storage writes an upload before its row is
committed, so a file being uploaded right now has no row yet and is not an orphan.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from nms.common.files import file_fields

MIN_AGE_SECONDS = 3600


def stored_names() -> set[str]:
    """The names every FileField of every model refers to."""
    names = set()
    for model, field in file_fields():
        rows = model._base_manager.exclude(**{field.attname: ""})
        names.update(rows.values_list(field.attname, flat=True).distinct().iterator())
    return names


def orphans(root: Path, now: float | None = None) -> list[Path]:
    """The files under `root` no row refers to and older than MIN_AGE_SECONDS, sorted."""
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


class Command(BaseCommand):
    help = (
        "Загруженные файлы (MEDIA_ROOT), на которые не ссылается ни одна запись: список, "
        "с --delete — удаление. Файлы моложе часа не трогаются (их загрузка может идти сейчас)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="удалить найденные файлы (без него — только список)",
        )

    def handle(self, *args, **options):
        root = Path(settings.MEDIA_ROOT)
        found = orphans(root)
        size = 0
        for path in found:
            size += path.stat().st_size
            self.stdout.write(path.relative_to(root).as_posix())
            if options["delete"]:
                path.unlink()
        megabytes = f"{size / (1024 * 1024):.1f}".replace(".", ",")
        if not found:
            self.stdout.write("Файлов без ссылок из базы нет.")
        elif options["delete"]:
            self.stdout.write(f"Удалено файлов без ссылок из базы: {len(found)} ({megabytes} МБ).")
        else:
            self.stdout.write(
                f"Файлов без ссылок из базы: {len(found)} ({megabytes} МБ). "
                "Чтобы удалить их, повторите команду с --delete."
            )
