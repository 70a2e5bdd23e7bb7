"""`nms restore FILE`: a copy made by `nms backup` back into the database (nms.common.backup)."""

from django.core.management.base import BaseCommand, CommandError

from nms.common.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Восстановление из копии `nms backup` в пустую базу того же вида (SQLite или PostgreSQL) "
        "и в каталог загруженных файлов."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="архив, сделанный командой nms backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="восстановить и в непустую базу, заменив её содержимое",
        )

    def handle(self, *args, **options):
        try:
            restore_backup(options["file"], force=options["force"], log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
