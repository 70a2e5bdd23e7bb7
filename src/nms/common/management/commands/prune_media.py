"""`nms prune_media [--delete]`: the files under MEDIA_ROOT that no FileField of any model refers
to (nms.common.files.orphans) — listed, and with --delete removed with the folders left empty.
A dry run by default."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from nms.common.files import orphans, remove_empty_folders


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
        if options["delete"]:
            remove_empty_folders(root)
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
