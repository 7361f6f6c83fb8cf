"""Start the web server, a Celery worker and Celery beat together; Ctrl-C stops all three.

Used by `make run`. Development only: production runs each process on its own (docker-compose.yml).

    PORT=8123 HOST=0.0.0.0 make run

The server listens on HOST:PORT (default 127.0.0.1:8000), and links in emails point there unless
SITE_URL is set (supportnet/settings.py reads the same variables, in every process started here).
DEBUG is off, so a person trying the app meets the real error pages; the development defaults
(SQLite, console email, plain HTTP, no production secrets) stay on through LOCAL_DEVELOPMENT.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def environment():
    env = dict(os.environ)
    env.setdefault("DEBUG", "false")
    env.setdefault("LOCAL_DEVELOPMENT", "true")
    env.setdefault("HOST", "127.0.0.1")
    env.setdefault("PORT", "8000")
    env["DJANGO_SETTINGS_MODULE"] = "supportnet.settings"
    return env


def processes(env):
    address = f"[{env['HOST']}]:{env['PORT']}" if ":" in env["HOST"] else f"{env['HOST']}:{env['PORT']}"
    return {
        "web": [sys.executable, "manage.py", "runserver", address],
        "worker": [str(BIN / "celery"), "-A", "supportnet", "worker", "--loglevel=INFO", "--concurrency=2"],
        "beat": [str(BIN / "celery"), "-A", "supportnet", "beat", "--loglevel=INFO"],
    }


def site_url(env):
    """What settings.SITE_URL will be in the children (the same rule, without importing Django)."""
    if env.get("SITE_URL"):
        return env["SITE_URL"].rstrip("/")
    host = "127.0.0.1" if env["HOST"] in {"0.0.0.0", "::", "[::]"} else env["HOST"]  # noqa: S104
    return f"http://{host}:{env['PORT']}"


def main():
    env = environment()
    (ROOT / "var" / "mail").mkdir(parents=True, exist_ok=True)  # beat's schedule, emails kept to read
    # Each in its own process group: Ctrl-C reaches only this script, which stops them in order. The
    # web server's whole group is stopped (runserver's reloader runs the server in a child process);
    # Celery's main processes stop their own pool workers.
    children = {
        name: subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        for name, command in processes(env).items()
    }
    print(f"SupportNet is running at {site_url(env)}/ (pids {[c.pid for c in children.values()]}).")
    print("Press Ctrl-C to stop the web server, the worker and beat.")

    def stop(*_):
        for child in children.values():
            if child.poll() is None:
                signal_group = os.killpg if child is children["web"] else os.kill
                signal_group(child.pid, signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        sys.exit(0)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while True:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} stopped (exit code {child.returncode}); stopping the others.")
                stop()
        time.sleep(0.5)


if __name__ == "__main__":
    main()
