"""`nms backup` then `nms restore` into an empty database gives identical rows and files.

The suite's own database is in memory (SQLite) or a test database (PostgreSQL), so the round
trips run the commands in subprocesses against scratch databases of their own.
"""

import hashlib
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

POSTGRES_URL = os.environ.get("DATABASE_URL", "")

# A small region made by the demo generator (every app's share of it): the round trip is about
# every table and file, not about the demo's size.
REGION = ("generate-region", "--municipalities", "2", "--organizations", "8", "--people", "60")


def nms(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "nms", *args], env=env, capture_output=True, text=True
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def environment(var_dir: Path, database_url: str) -> dict:
    env = dict(os.environ)
    env.pop("NMS_TEST_DB_NAME", None)
    env.update(
        NMS_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        NMS_TASKS_BACKEND="immediate",
        DJANGO_SETTINGS_MODULE="nms.settings",
    )
    return env


def put_media(var_dir: Path) -> dict[str, bytes]:
    files = {
        "routes/подтверждение 1.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
        "routes/reports/отчёт.docx": secrets.token_bytes(5000),
    }
    for name, data in files.items():
        path = var_dir / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def media_of(var_dir: Path) -> dict[str, bytes]:
    root = var_dir / "media"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def sqlite_contents(path: Path) -> dict[str, object]:
    """Schema and every table's rows (sorted, so history tables without a unique first column
    compare too)."""
    con = sqlite3.connect(path)
    try:
        schema = sorted(con.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
        tables = [name for kind, name, _ in schema if kind == "table"]
        contents: dict[str, object] = {"schema": schema}
        for table in tables:
            rows = con.execute(f'SELECT * FROM "{table}"').fetchall()
            contents[table] = sorted(rows, key=repr)
        return contents
    finally:
        con.close()


@pytest.mark.skipif(
    POSTGRES_URL.startswith(("postgres://", "postgresql://")),
    reason="SQLite round trip: run by the SQLite suite (it needs no server; once is enough)",
)
def test_sqlite_round_trip(tmp_path):
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    source_db, target_db = source_dir / "a.sqlite3", target_dir / "b.sqlite3"
    source = environment(source_dir, f"sqlite:///{source_db}")
    target = environment(target_dir, f"sqlite:///{target_db}")
    archive = tmp_path / "copy.tar.gz"

    nms(source, "migrate", "-v0")
    nms(source, *REGION)
    files = put_media(source_dir)
    out = nms(source, "backup", str(archive)).stdout
    assert "Готово" in out and archive.is_file()

    out = nms(target, "restore", str(archive)).stdout  # target_db does not exist yet: empty
    assert "Восстановление завершено" in out

    before, after = sqlite_contents(source_db), sqlite_contents(target_db)
    assert before.keys() == after.keys()
    for table in before:
        assert before[table] == after[table], table
    rows = sum(len(v) for k, v in before.items() if k != "schema")
    assert rows > 1000 and len(before["registry_person"]) > 10
    assert media_of(target_dir) == media_of(source_dir)
    assert files.items() <= media_of(target_dir).items()

    # A second restore into the now non-empty database is refused, unless forced.
    refused = nms(target, "restore", str(archive), check=False)
    assert refused.returncode != 0 and "не пуста" in refused.stderr and "--force" in refused.stderr
    nms(target, "restore", "--force", str(archive))
    assert sqlite_contents(target_db) == before

    # An archive from the other engine is refused with a clear message (no server is needed).
    other = environment(tmp_path / "pg", "postgres://nobody@127.0.0.1:1/none")
    refused = nms(other, "restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "Копия сделана из базы SQLite, а настроена база PostgreSQL" in refused.stderr


def pg_url(name: str) -> str:
    parts = urlsplit(POSTGRES_URL)
    return urlunsplit(parts._replace(path="/" + name))


def pg_args() -> list[str]:
    parts = urlsplit(POSTGRES_URL)
    args = ["--no-password"]
    if parts.hostname:
        args += ["--host", parts.hostname]
    if parts.port:
        args += ["--port", str(parts.port)]
    if parts.username:
        args += ["--username", parts.username]
    return args


def pg_env() -> dict:
    env = dict(os.environ)
    password = urlsplit(POSTGRES_URL).password
    if password:
        env["PGPASSWORD"] = password
    return env


def pg_contents(database: str) -> dict[str, tuple[int, str]]:
    """Row count and a hash of the sorted rows of every table; the sequences' positions. One
    connection for all of it (a psql process per table cost tens of seconds)."""
    import psycopg

    contents = {}
    with psycopg.connect(pg_url(database)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            with cursor.copy(f'COPY (SELECT * FROM "{table}") TO STDOUT') as copy:
                data = b"".join(bytes(chunk) for chunk in copy)
            rows = sorted(data.decode().splitlines())
            contents[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences "
            "WHERE schemaname = 'public' ORDER BY 1"
        )
        contents["sequences"] = (0, repr(cursor.fetchall()))
    return contents


@pytest.mark.skipif(
    not POSTGRES_URL.startswith(("postgres://", "postgresql://")),
    reason="PostgreSQL round trip: DATABASE_URL does not point to PostgreSQL",
)
def test_postgresql_round_trip(tmp_path):
    suffix = secrets.token_hex(4)
    first, second = f"nms_backup_{suffix}_a", f"nms_backup_{suffix}_b"
    archive = tmp_path / "copy.tar.gz"
    for name in (first, second):
        subprocess.run(["createdb", *pg_args(), name], env=pg_env(), check=True)
    try:
        source = environment(tmp_path / "source", pg_url(first))
        target = environment(tmp_path / "target", pg_url(second))
        nms(source, "migrate", "-v0")
        nms(source, *REGION)
        put_media(tmp_path / "source")
        nms(source, "backup", str(archive))
        nms(target, "restore", str(archive))

        before, after = pg_contents(first), pg_contents(second)
        assert before == after
        assert sum(count for count, _ in before.values()) > 1000
        assert before["registry_person"][0] > 10
        assert media_of(tmp_path / "target") == media_of(tmp_path / "source")

        refused = nms(target, "restore", str(archive), check=False)
        assert refused.returncode != 0 and "не пуста" in refused.stderr
        nms(target, "restore", "--force", str(archive))
        assert pg_contents(second) == before
    finally:
        for name in (first, second):
            subprocess.run(
                ["dropdb", *pg_args(), "--if-exists", "--force", name],
                env=pg_env(),
                capture_output=True,
            )
