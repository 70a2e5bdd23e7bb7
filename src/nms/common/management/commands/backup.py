"""`nms backup FILE`: the database and the uploaded files into one .tar.gz (nms.common.backup)."""

from django.core.management.base import BaseCommand, CommandError

from nms.common.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Резервная копия: база данных (SQLite — онлайн-копия, PostgreSQL — pg_dump) "
        "и загруженные файлы в один архив .tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="куда записать архив, например backup-2025-01-31.tar.gz")

    def handle(self, *args, **options):
        try:
            make_backup(options["file"], log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
