"""Start the web server, a Celery worker and Celery beat together; Ctrl-C stops all three.

Used by `make run`. Development only: production runs each process on its own (docker-compose.yml).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

PROCESSES = {
    "web": [sys.executable, "manage.py", "runserver", "127.0.0.1:8000"],
    "worker": [str(BIN / "celery"), "-A", "supportnet", "worker", "--loglevel=INFO", "--concurrency=2"],
    "beat": [str(BIN / "celery"), "-A", "supportnet", "beat", "--loglevel=INFO"],
}


def main():
    children = {name: subprocess.Popen(command, cwd=ROOT) for name, command in PROCESSES.items()}
    print(f"SupportNet is running at http://127.0.0.1:8000/ (pids {[c.pid for c in children.values()]}).")
    print("Press Ctrl-C to stop the web server, the worker and beat.")

    def stop(*_):
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportnet.settings")
    main()
