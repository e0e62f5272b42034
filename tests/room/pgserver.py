"""A throwaway PostgreSQL cluster for tests and benchmarks: ``initdb``/``pg_ctl`` from the
distribution's package, run as an unprivileged user (the server refuses root), on a private
socket folder and a loopback port. Stopped, killed and started again by the fault tests."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BIN = Path(os.environ.get("KIOSK_PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "Wachtw00rd-voor-de-test"  # a canary: must never appear in a log or a screen
ROLE = "kiosk"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Server:
    def __init__(self) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
        self.data = self.base / "data"
        self.sockets = self.base / "sockets"
        self.log = self.base / "server.log"
        self.port = free_port()
        self.user = "nobody" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        self._databases = 0
        self.sockets.mkdir()
        (self.base / "pw").write_text("postgres-admin\n")
        if os.geteuid() == 0:
            entry = pwd.getpwnam(self.user)
            for path in (self.base, self.sockets, self.base / "pw"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run(str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--auth-host=scram-sha-256", "--pwfile", str(self.base / "pw"), "-E", "UTF8",
                  "--no-sync", "--locale=C.UTF-8")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.sockets}'\nfsync = off\n"
                       "shared_buffers = 16MB\nmax_connections = 120\n"
                       "log_min_messages = warning\n")
        self.start()
        self.admin(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self.user, "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], cwd=self.base, capture_output=True, text=True,
                              timeout=60, check=check)

    def start(self) -> None:
        done = self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                         "-t", "30", "start", check=False)
        if done.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {done.stdout} {done.stderr} "
                               f"{_log_tail(self.log)}")

    def stop(self) -> None:
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def postmaster(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def kill(self) -> None:
        """SIGKILL to the server and its backends, as a crash would."""
        main = self.postmaster()
        os.kill(main, signal.SIGSTOP)  # forks no new backend while they are counted
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == main:
                    children.append(int(entry.name))
        for pid in [main, *children]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in [main, *children]):
            time.sleep(0.02)
        # a killed server left its lock file; a zombie nobody reaps would still hold its pid
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        for lock in self.sockets.glob(".s.PGSQL.*"):
            lock.unlink(missing_ok=True)

    def admin(self, sql: str, database: str = "postgres") -> list[tuple]:  # type: ignore[type-arg]
        import psycopg

        with psycopg.connect(host=str(self.sockets), port=self.port, user="postgres",
                             dbname=database, autocommit=True, connect_timeout=5) as pg:
            cursor = pg.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def new_database(self, owner: str = ROLE) -> str:
        self._databases += 1
        name = f"room{self._databases}"
        self.admin(f"CREATE DATABASE {name} OWNER {owner}")
        return name

    def dsn(self, database: str, password: str | None = PASSWORD, role: str = ROLE) -> str:
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{role}{secret}@127.0.0.1:{self.port}/{database}"

    def close(self) -> None:
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop",
                  check=False)
        shutil.rmtree(self.base, ignore_errors=True)


def _log_tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-1500:]
    except OSError:
        return ""
