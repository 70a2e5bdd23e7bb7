"""Shared bases of the apps' commands: `ImportCommand` for the import commands."""

import inspect
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError


class ImportCommand(BaseCommand):
    """Import one XLSX file; prints the report, exits with 1 and every error if it is rejected.

    Subclasses set `importer`, a function (user, file) -> ImportReport; when it takes a
    `progress` callback, the command prints how far it got (to stderr, at most once a second),
    as the job page shows it on the web.
    """

    importer = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="файл XLSX")
        parser.add_argument(
            "--user",
            help="имя пользователя, от чьего имени и в чьей области доступа идёт загрузка "
            "(по умолчанию — система, без ограничений)",
        )

    def handle(self, *args, file, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {file}")
        importing_user = None
        if user:
            try:
                importing_user = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Пользователь не найден: {user}") from None
        try:
            with path.open("rb") as stream:
                if "progress" in inspect.signature(self.importer).parameters:
                    report = self.importer(importing_user, stream, progress=self._progress())
                else:
                    report = self.importer(importing_user, stream)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary)
        self.stdout.write(self.style.SUCCESS(report.summary))

    def _progress(self):
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if total and (done == total or now - last[0] >= 1):
                last[0] = now
                self.stderr.write(f"обработано строк: {done} из {total}")

        return progress
