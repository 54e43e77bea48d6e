"""A real PostgreSQL streaming replica of the server the suite runs on, started once for the session.

``pg_basebackup`` copies the running cluster (127.0.0.1:5432, the test database included: the replica is
made after pytest-django created it) into a scratch directory, with ``-R`` so the copy starts as a
standby that streams every later write from the primary; it runs as the postgres user (PostgreSQL
refuses root) on a free port, and is stopped and removed after the session. Nothing shared is
restarted: the primary only reloads its configuration when ``pg_hba.conf`` lacks the line that lets
127.0.0.1 connect for replication (then it is added, as on a fresh CI machine).
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest

from tests.deploy.servers import free_port

SLOT_PREFIX = "perisai_test_replica_"
REPLICATION_LINE = "host    replication     all     127.0.0.1/32    trust"
SETTINGS_THE_STANDBY_MUST_MATCH = (  # a hot standby refuses to start with less than the primary has
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def require(condition, reason):
    """Skip locally when the machine lacks something; in CI (CI=true) that is a failure."""
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


def server_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    pg_ctl = found[-1] if found else shutil.which("pg_ctl")
    require(pg_ctl, "pg_ctl is not installed")
    return Path(pg_ctl).parent


def query(dsn, sql):
    """``sql``'s rows, on a connection of its own (autocommit), closed after."""
    connection = psycopg2.connect(dsn)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    finally:
        connection.close()


class Replica:
    def __init__(self, host, port):
        self.primary_host, self.primary_port = host, str(port)
        self.primary_dsn = f"postgres://postgres@{host}:{port}/postgres"
        self.bin = server_bin()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.directory = Path(tempfile.mkdtemp(prefix="perisai-replica-"))
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self.data = self.directory / "data"
        self.port = free_port()
        self.slot = f"{SLOT_PREFIX}{os.getpid()}"

    def run(self, tool, *args):
        result = subprocess.run(
            [*self.as_owner, str(self.bin / tool), *args], capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"{tool} failed: {result.stdout}{result.stderr}"

    def primary(self, sql):
        return query(self.primary_dsn, sql)

    def allow_replication(self):
        """Add the ``host replication`` trust line for 127.0.0.1 when the primary lacks one, and reload."""
        rules = self.primary(
            "SELECT 1 FROM pg_hba_file_rules WHERE 'replication' = ANY(database) AND address = '127.0.0.1'"
        )
        if rules:
            return
        hba = Path(self.primary("SHOW hba_file")[0][0])
        require(os.access(hba, os.W_OK), f"{hba} lacks a replication line for 127.0.0.1 and is not writable")
        with hba.open("a") as file:
            file.write(f"\n# the replica tests (tests/replica/conftest.py)\n{REPLICATION_LINE}\n")
        self.primary("SELECT pg_reload_conf()")
        time.sleep(0.5)  # the postmaster rereads the file when the signal arrives

    def start(self):
        self.allow_replication()
        self.base_backup()
        matched = [f"{name} = {self.primary(f'SHOW {name}')[0][0]}" for name in SETTINGS_THE_STANDBY_MUST_MATCH]
        # Debian keeps the configuration outside the data directory, so the copy has none of its own.
        self.write("postgresql.conf", [
            f"port = {self.port}", "listen_addresses = '127.0.0.1'", f"unix_socket_directories = '{self.directory}'",
            "hot_standby = on", "shared_buffers = 32MB", "fsync = off", *matched,
        ])  # fmt: skip
        self.write("pg_hba.conf", ["local all all trust", "host all all 127.0.0.1/32 trust"])
        for name in ("pg_ident.conf",):
            self.write(name, [])
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "server.log"), "-w", "start")

    def base_backup(self, attempts=3):
        """The copy, and the physical replication slot that keeps the primary's WAL until the standby has
        it: other tests write (and force checkpoints) fast enough to recycle a segment the standby still
        needs. The slot is reserved before the copy starts and dropped after the session (``remove``); a
        slot an interrupted session left behind is dropped here. Tried again if the stream is cut."""
        self.primary(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
            f" WHERE slot_name LIKE '{SLOT_PREFIX}%' AND NOT active"
        )
        self.primary(f"SELECT pg_create_physical_replication_slot('{self.slot}', true)")
        for attempt in range(attempts):
            try:
                return self.run(
                    "pg_basebackup", "-h", self.primary_host, "-p", self.primary_port, "-U", "postgres",
                    "-D", str(self.data), "-X", "stream", "-S", self.slot, "-R", "--checkpoint=fast",
                )  # fmt: skip
            except AssertionError:
                shutil.rmtree(self.data, ignore_errors=True)
                if attempt == attempts - 1:
                    raise

    def drop_slot(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the primary's walsender ends a moment after the standby stops
            active = self.primary(f"SELECT active FROM pg_replication_slots WHERE slot_name = '{self.slot}'")
            if not active:
                return
            if not active[0][0]:
                self.primary(f"SELECT pg_drop_replication_slot('{self.slot}')")
                return
            time.sleep(0.2)

    def write(self, name, lines):
        path = self.data / name
        path.write_text("\n".join(lines) + "\n")
        if os.geteuid() == 0:
            shutil.chown(path, "postgres")

    def dsn(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement):
        return query(self.dsn(), statement)

    def caught_up(self, seconds=30):
        """Wait until the replica has replayed everything the primary has written so far."""
        target = self.primary("SELECT pg_current_wal_lsn()")[0][0]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0][0]:
                return
            time.sleep(0.1)
        raise AssertionError("the replica did not catch up")

    def pause(self):
        self.sql("SELECT pg_wal_replay_pause()")
        deadline = time.monotonic() + 10
        while self.sql("SELECT pg_get_wal_replay_pause_state()")[0][0] != "paused":
            assert time.monotonic() < deadline, "replay did not pause"
            time.sleep(0.05)

    def resume(self):
        self.sql("SELECT pg_wal_replay_resume()")

    def stop(self):
        subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "stop", "-m", "fast"],
                       capture_output=True, timeout=60)  # fmt: skip

    def remove(self):
        self.stop()
        self.drop_slot()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def replica(django_db_setup, django_db_blocker):
    """The streaming replica (``Replica``), in recovery and caught up with the primary."""
    from django.db import connection

    require(connection.vendor == "postgresql", "the replica tests need DATABASE_URL=postgres://...")
    require(shutil.which("runuser") or os.geteuid() != 0, "runuser is needed to run PostgreSQL as postgres")
    server = Replica(connection.settings_dict["HOST"] or "127.0.0.1", connection.settings_dict["PORT"] or 5432)
    try:
        server.start()
        assert server.sql("SELECT pg_is_in_recovery()")[0][0], "the copy did not start as a standby"
        server.caught_up()
        yield server
    finally:
        server.remove()
