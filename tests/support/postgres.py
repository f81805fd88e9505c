"""A throwaway PostgreSQL server for tests: nbgrader's gradebook on a real server (docs/grading.md).

Debian's postgresql-15 (tools/install_postgres.sh) provides initdb, pg_ctl and postgres. Each server lives
in its own folder under /tmp (data, log and unix socket) and listens on no TCP address at all; stop()
removes the folder. initdb refuses to run as root, so as root the server runs as the `postgres` user.
"""
import contextlib
import os
import pwd
import random
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"  # the system user the server runs as when the tests run as root; also the superuser


def find_bin_dir():
    """The newest /usr/lib/postgresql/<version>/bin that holds an initdb, or None."""
    def version(bin_dir):
        return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name))

    found = [p.parent for p in PG_ROOT.glob("*/bin/initdb") if os.access(p, os.X_OK)]
    return max(found, key=version) if found else None


def _as_root():
    return os.geteuid() == 0


def available():
    """(True, "") if a server can be started here, else (False, why not)."""
    if find_bin_dir() is None:
        return False, f"no PostgreSQL server: no initdb under {PG_ROOT}/*/bin (run 'sudo sh tools/install_postgres.sh')"
    try:
        import psycopg2  # noqa: F401
    except ImportError as error:
        return False, f"psycopg2 cannot be imported ({error}): pip install -r requirements.txt"
    if _as_root():
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return False, f"running as root, but there is no {SERVER_USER!r} user to run the server as"
        if shutil.which("runuser") is None:
            return False, "running as root, but there is no runuser (util-linux) to start the server as another user"
    return True, ""


class PostgresServer:
    """``with PostgresServer() as server: url = server.create_database("gradebook")``."""

    def __init__(self, bin_dir=None, timeout=60):
        self.bin_dir = Path(bin_dir) if bin_dir else find_bin_dir()
        self.timeout = timeout
        self.folder = None  # data/, postgres.log and the unix socket; None when not started
        self.port = None

    @property
    def data(self):
        return self.folder / "data"

    @property
    def log_path(self):
        return self.folder / "postgres.log"

    def pid(self):
        """The postmaster's pid from data/postmaster.pid, or None."""
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError, TypeError):
            return None

    def log_tail(self, chars=3000):
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except (OSError, TypeError):
            return "(no log)"

    def _run(self, tool, *args, timeout):
        cmd = [str(self.bin_dir / tool), *args]
        if _as_root():
            cmd = ["runuser", "-u", SERVER_USER, "--", *cmd]
        # cwd: the caller's folder may be closed to the postgres user.
        return subprocess.run(cmd, cwd=self.folder, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def start(self):
        if self.bin_dir is None:
            raise RuntimeError(available()[1])
        # Under /tmp, not $TMPDIR: the postgres user must reach it, and a unix socket's path is short.
        self.folder = Path(tempfile.mkdtemp(prefix="hnl-pg-", dir="/tmp"))
        # Only the socket's file name takes the port (no TCP), so any number is free in a folder of its own.
        self.port = random.randint(20000, 60000)
        try:
            if _as_root():
                user = pwd.getpwnam(SERVER_USER)
                os.chown(self.folder, user.pw_uid, user.pw_gid)
            steps = [
                ("initdb", ["-D", str(self.data), "-A", "trust", "-U", SERVER_USER, "--no-sync", "-E", "UTF8",
                            "--no-locale"]),
                ("pg_ctl", ["start", "-D", str(self.data), "-l", str(self.log_path), "-w", "-t", str(self.timeout),
                            "-o", " ".join(["-c listen_addresses=''",
                                            f"-c unix_socket_directories={shlex.quote(str(self.folder))}",
                                            f"-p {self.port}", "-c fsync=off", "-c full_page_writes=off",
                                            "-c synchronous_commit=off"])]),
            ]
            for tool, args in steps:
                proc = self._run(tool, *args, timeout=self.timeout + 15)
                if proc.returncode != 0:
                    raise RuntimeError(f"{tool} failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-2000:]}\n"
                                       f"server log:\n{self.log_tail()}")
        except subprocess.TimeoutExpired as error:
            log = self.log_tail()
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {error}\nserver log:\n{log}") from error
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        """Stop the server (if it runs) and remove its folder, whatever happened before."""
        if self.folder is None:
            return
        try:
            if self.pid() is not None:
                for mode in ("fast", "immediate"):
                    try:
                        if self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "30",
                                     timeout=45).returncode == 0:
                            break
                    except subprocess.TimeoutExpired:
                        pass
                else:  # pg_ctl could not stop it: end the postmaster (its backends follow it)
                    with contextlib.suppress(OSError, TypeError):
                        os.kill(self.pid(), signal.SIGKILL)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def connect(self, dbname="postgres"):
        """A psycopg2 connection (autocommit) as the superuser; the caller closes it."""
        import psycopg2

        conn = psycopg2.connect(dbname=dbname, user=SERVER_USER, host=str(self.folder), port=self.port,
                                connect_timeout=10)
        conn.autocommit = True
        return conn

    def _execute(self, query, params=None):
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchall() if cur.description else None
        finally:
            conn.close()

    def url(self, name):
        """SQLAlchemy's URL of database ``name`` (nbgrader's ``CourseDirectory.db_url``)."""
        return f"postgresql+psycopg2://{SERVER_USER}@/{name}?host={self.folder}&port={self.port}"

    def create_database(self, name):
        """Create database ``name``; return its SQLAlchemy URL."""
        from psycopg2 import sql

        self._execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name, force=False):
        """Drop database ``name``; with ``force``, end its connections first (else open ones make it fail)."""
        from psycopg2 import sql

        query = "DROP DATABASE IF EXISTS {} WITH (FORCE)" if force else "DROP DATABASE IF EXISTS {}"
        self._execute(sql.SQL(query).format(sql.Identifier(name)))

    def connections(self, name):
        """How many backends are connected to database ``name`` (not counting the one that asks)."""
        rows = self._execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                             (name,))
        return rows[0][0]
