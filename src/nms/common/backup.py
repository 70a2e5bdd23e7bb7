"""Backup and restore of the whole site: the database and the uploaded files, in one .tar.gz.

The archive holds
  manifest.json      format version, database engine, time of creation, the latest applied
                     migration per app, what else is inside;
  database.sqlite3   SQLite: a copy made with the sqlite3 online backup API (consistent while the
                     site keeps writing), or
  database.dump      PostgreSQL: `pg_dump -Fc` (custom format, for `pg_restore`);
  media/…            the files under MEDIA_ROOT (evidence files of routes and the like; job files
                     live in the database).

`restore` puts a copy back into an empty database (a non-empty one only when forced) of the same
engine. The management commands `nms backup` and `nms restore` are thin wrappers around
`make_backup` and `restore_backup`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is for the user (in Russian)."""


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ENGINE_NAMES:
        raise BackupError(
            f"Резервное копирование поддерживает SQLite и PostgreSQL, а база — «{vendor}»."
        )
    return vendor


def _sqlite_path(alias: str) -> str:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("База SQLite в памяти: копировать нечего.")
    return name


def _pg_command(alias: str, program: str) -> tuple[list[str], dict[str, str]]:
    """The program with the connection options of the database and its environment."""
    conf = connections[alias].settings_dict
    if not shutil.which(program):
        raise BackupError(f"Не найдена программа {program}: установите клиент PostgreSQL.")
    cmd = [program]
    if conf.get("HOST"):
        cmd += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        cmd += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        cmd += ["--username", str(conf["USER"])]
    cmd.append("--no-password")
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    options = conf.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return cmd, env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} завершился с ошибкой (код {result.returncode}):\n{detail}")


def migration_state(alias: str = "default") -> dict[str, str]:
    """The latest applied migration of every app, as recorded in the database."""
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    state: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("id").values_list("app", "name"):
        state[app] = name
    return dict(sorted(state.items()))


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def make_backup(target: str | os.PathLike, *, alias: str = "default", log: Log = print) -> dict:
    """Write the database and MEDIA_ROOT into the archive `target`; return the manifest."""
    target = Path(target)
    engine = _engine(alias)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nms-backup-", dir=target.parent) as tmp:
        tmp = Path(tmp)
        if engine == "sqlite":
            source = _sqlite_path(alias)
            log(f"База SQLite {source}: онлайн-копия…")
            db_file = tmp / SQLITE_FILE
            src = sqlite3.connect(source)
            dst = sqlite3.connect(db_file)
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            conf = connections[alias].settings_dict
            log(f"База PostgreSQL {conf['NAME']}: pg_dump…")
            db_file = tmp / PG_FILE
            cmd, env = _pg_command(alias, "pg_dump")
            cmd += ["--format=custom", "--file", str(db_file), "--dbname", str(conf["NAME"])]
            _run(cmd, env, "pg_dump")
        log(f"  база: {db_file.stat().st_size / 1024 / 1024:.1f} МБ")

        media = _media_files()
        manifest = {
            "format": FORMAT_VERSION,
            "engine": engine,
            "created": timezone.now().isoformat(timespec="seconds"),
            "database": db_file.name,
            "media_files": len(media),
            "migrations": migration_state(alias),
        }
        partial = target.with_name(target.name + ".part")
        log(f"Архив {target}…")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_file.name)
            root = Path(settings.MEDIA_ROOT)
            for path in media:
                tar.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(root).as_posix()}")
        partial.replace(target)
    log(f"  загруженных файлов: {len(media)}")
    log(f"Готово: {target} ({target.stat().st_size / 1024 / 1024:.1f} МБ).")
    return manifest


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        member = None
    if member is None:
        raise BackupError("В архиве нет manifest.json: это не резервная копия НМС.")
    try:
        manifest = json.loads(member.read().decode())
    except ValueError as exc:
        raise BackupError("manifest.json в архиве повреждён.") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"Формат копии {manifest.get('format')!r} не поддерживается "
            f"(эта версия читает формат {FORMAT_VERSION})."
        )
    return manifest


def _user_tables(alias: str) -> list[str]:
    with connections[alias].cursor() as cursor:
        return connections[alias].introspection.table_names(cursor)


def restore_backup(
    source: str | os.PathLike, *, force: bool = False, alias: str = "default", log: Log = print
) -> dict:
    """Restore the archive `source` into the configured database and MEDIA_ROOT."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"Файл {source} не найден.")
    engine = _engine(alias)
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115 — closed by the `with` below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} — не архив .tar.gz: {exc}") from exc
    with tar, tempfile.TemporaryDirectory(prefix="nms-restore-") as tmp:
        manifest = read_manifest(tar)
        if manifest.get("engine") != engine:
            theirs = ENGINE_NAMES.get(manifest.get("engine"), manifest.get("engine"))
            raise BackupError(
                f"Копия сделана из базы {theirs}, а настроена база {ENGINE_NAMES[engine]}. "
                f"Восстановите её в базу {theirs} (задайте DATABASE_URL) или перенесите данные "
                "через `nms dumpdata`/`nms loaddata`."
            )
        log(
            f"Копия от {manifest.get('created')}: {ENGINE_NAMES[engine]}, "
            f"загруженных файлов {manifest.get('media_files', 0)}."
        )
        tables = _user_tables(alias)
        if tables and not force:
            raise BackupError(
                f"База данных не пуста (таблиц: {len(tables)}). Восстанавливать можно только в "
                "пустую базу; чтобы заменить её содержимое копией, добавьте --force."
            )
        if tables:
            log(f"База не пуста (таблиц: {len(tables)}), --force: её содержимое будет заменено.")

        tmp = Path(tmp)
        db_name = manifest.get("database") or (SQLITE_FILE if engine == "sqlite" else PG_FILE)
        try:
            tar.extract(db_name, tmp, filter="data")
        except KeyError as exc:
            raise BackupError(f"В архиве нет файла базы {db_name}.") from exc
        db_file = tmp / db_name

        connections[alias].close()
        if engine == "sqlite":
            target = _sqlite_path(alias)
            log(f"База SQLite {target}: восстановление…")
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            src = sqlite3.connect(db_file)
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            conf = connections[alias].settings_dict
            log(f"База PostgreSQL {conf['NAME']}: pg_restore…")
            cmd, env = _pg_command(alias, "pg_restore")
            cmd += [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                str(conf["NAME"]),
                str(db_file),
            ]
            _run(cmd, env, "pg_restore")

        root = Path(settings.MEDIA_ROOT)
        prefix = MEDIA_DIR + "/"
        count = 0
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(prefix):
                continue
            tar.extract(member, tmp, filter="data")  # refuses absolute paths and ../
            relative = member.name[len(prefix) :]
            destination = root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(tmp / member.name, destination)
            count += 1
        log(f"Загруженные файлы: {count} → {root}")

    connections[alias].close()
    executor = MigrationExecutor(connections[alias])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        log(f"Копия старее кода: не применено миграций — {len(pending)}; выполните `nms migrate`.")
    log("Восстановление завершено.")
    return manifest
