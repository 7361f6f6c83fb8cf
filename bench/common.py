"""What every benchmark shares: the environment of the processes it starts, Django, subprocesses."""

import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "var" / "bench"

WEB_PORT = int(os.environ.get("BENCH_WEB_PORT", "8108"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "1108"))


def environment():
    """Production-like settings for this process and every server it starts: DEBUG off, persistent
    database connections, real SMTP to the loopback sink, and /bench/floor mounted."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL (make bench sets a default).")
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        sys.exit("REDIS_URL must point at Redis (make bench sets a default).")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "supportnet.settings",
        "DEBUG": "false",
        "BENCH": "true",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        # A fixed key for the benchmark database only, so data seeded by one run reads in the next.
        "FIELD_ENCRYPTION_KEYS": "4jUOcakIRwtgbDWi0WMTh1fMrR5qI2Ehu1MjX0Q_j8Q=",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://127.0.0.1:{WEB_PORT}",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "ACCOUNT_RATE_LIMITS_ENABLED": "false",
        "PYTHONUNBUFFERED": "1",
    }


def setup_django():
    os.environ.update(environment())
    ensure_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(url):
    """Create the benchmark database if it does not exist yet (a fresh machine)."""
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    server = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def manage(*arguments):
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment(), check=True)


def start(name, command, **kwargs):
    """Start a server process with the benchmark environment, logging to var/bench/<name>.log."""
    OUT.mkdir(parents=True, exist_ok=True)
    log = open(OUT / f"{name}.log", "w")  # noqa: SIM115 - the process owns it until stop()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **kwargs,
    )
    process.log = log
    return process


def stop(process, timeout=30):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log.close()


def wait_for_port(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{process.args[0]} stopped at start-up; see {process.log.name}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"Nothing answered on port {port} after {timeout} s; see {process.log.name}")


def machine():
    """One line describing where the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, load average {load:.2f} at start"


def postgres_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]
