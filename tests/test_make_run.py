"""`make run` (scripts/run.py): the address it listens on, the links in emails, the real error pages."""

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import database_url_for_other_processes, free_port
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


def site_url(**environment):
    keep = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "supportnet.settings", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_links_in_emails_follow_the_port_unless_site_url_is_set():
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert site_url(PORT="8123", HOST="0.0.0.0") == "http://127.0.0.1:8123"  # noqa: S104
    assert (
        site_url(PORT="8123", SITE_URL="https://supportnet.example.org/") == "https://supportnet.example.org"
    )


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def answer_of(url, process):
    """The server's answer (status, body), or None while it is not listening yet."""
    assert process.poll() is None, "scripts/run.py stopped before the server answered"
    try:
        return get(url)
    except OSError:
        return None


def test_make_run_serves_on_port_with_real_error_pages_and_stops_everything(transactional_db):
    port = free_port()
    environment = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": database_url_for_other_processes(),
    }
    for name in ("DEBUG", "LOCAL_DEVELOPMENT", "SITE_URL", "HOST", "DJANGO_SETTINGS_MODULE"):
        environment.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "scripts/run.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        status, body = wait_until(lambda: answer_of(url, process), timeout=90, what=f"{url} to answer")
        assert status == 200, body

        status, body = get(f"http://127.0.0.1:{port}/no-such-page/")
        assert status == 404
        assert "We couldn't find that page" in body
        assert "Using the URLconf" not in body and "DEBUG = True" not in body

        status, body = get(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200
        assert "/static/" in body
        css = body.split('href="/static/', 1)[1].split('"', 1)[0]
        assert get(f"http://127.0.0.1:{port}/static/{css}")[0] == 200, "static files are served"
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert f"SupportNet is running at http://127.0.0.1:{port}/" in output
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "the web server kept running after run.py stopped"
