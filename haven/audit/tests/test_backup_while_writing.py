"""A backup taken while the server writes is consistent (issue 14, defect 7: a file copy of a database in use lost
its last audit rows): run as an operator would, in processes of their own against a database on disk, on SQLite
(online backup API) and PostgreSQL (one REPEATABLE READ transaction). A writer creates an organization and its audit
entry in one transaction, over and over; the backup is taken meanwhile and restored into a fresh database, where
each organization still has its entry, no entry lacks its organization, and the chain verifies."""
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
WRITER = """
import sys, django
django.setup()
from pathlib import Path
from django.db import transaction
from haven.accounts.models import Organization
from haven.audit.services import record
started, stop = Path(sys.argv[1]), Path(sys.argv[2])
n = 0
while not stop.exists() and n < 20000:
    with transaction.atomic():
        org = Organization.objects.create(name=f"writer {n}", slug=f"writer-{n}", kind="settlement")
        record(actor=None, action="create", obj=org, summary="writer")
    n += 1
    if n == 25:
        started.touch()
print(n)
"""
COUNT = """
import django
django.setup()
from haven.accounts.models import Organization
from haven.audit.models import AuditEntry
orgs = set(Organization.objects.filter(slug__startswith="writer-").values_list("pk", flat=True))
entries = set(int(pk) for pk in AuditEntry.objects.filter(summary="writer").values_list("object_id", flat=True))
print(len(orgs), len(entries), orgs == entries)
"""


def _fresh_databases(tmp: Path) -> tuple[str, str, callable]:
    """Two copies of the freshly migrated test database, as URLs, and how to drop them."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        urls = []
        for name in ("source", "target"):
            path = tmp / f"{name}.sqlite3"
            target = sqlite3.connect(path)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            urls.append(f"sqlite:///{path}")
        return urls[0], urls[1], lambda: None
    import psycopg

    names = [f"{settings['NAME']}_{suffix}" for suffix in ("src", "dst")]
    connection.close()  # a template database must have no other session
    server = dict(host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"],
                  password=settings["PASSWORD"] or None, autocommit=True)
    with psycopg.connect(dbname="postgres", **server) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings["NAME"]}"')

    def drop():
        with psycopg.connect(dbname="postgres", **server) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"{base}/{names[0]}", f"{base}/{names[1]}", drop


def _env(url: str, var: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("HAVEN_")}
    env.update(DATABASE_URL=url, HAVEN_VAR_DIR=str(var), PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="haven.settings",
               HAVEN_BACKUP_PASSPHRASE="a passphrase for the test", HAVEN_DB_CONN_MAX_AGE="0")
    return env


def _run(args: list[str], env: dict) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_writes_go_on_restores_consistently(tmp_path):
    source, target, drop = _fresh_databases(tmp_path)
    source_env, target_env = _env(source, tmp_path / "source-var"), _env(target, tmp_path / "target-var")
    started, stop, archive = tmp_path / "started", tmp_path / "stop", tmp_path / "haven.backup"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(started), str(stop)], cwd=ROOT, env=source_env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not started.exists() and writer.poll() is None:
            time.sleep(0.05)
        assert writer.poll() is None, writer.stderr.read()
        _run(["-m", "haven", "backup", "--out", str(archive), "--include-keys"], source_env)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=600)
    try:
        assert writer.returncode == 0, err
        written = int(out.split()[-1])
        assert "restored" in _run(["-m", "haven", "restore", str(archive)], target_env)
        assert "audit chain OK" in _run(["-m", "haven", "audit", "verify"], target_env)
        organizations, entries, same = _run(["-c", COUNT], target_env).split()
        assert same == "True" and organizations == entries
        assert 25 <= int(organizations) <= written
    finally:
        drop()
