"""Sign-up timing for a known and a new address, against gunicorn with production settings.

    DATABASE_URL=postgres://.../sn_timing REDIS_URL=redis://.../9 .venv/bin/python bench/signup_timing.py [N]

Starts an SMTP sink and gunicorn (2 workers, DEBUG off, Argon2, rate limits on; each POST comes
from its own forwarded client address so the per-address sign-up limit does not interfere), then
posts N sign-ups for an address that has an account and N for new addresses, turn about, and prints
the median and range of each. Only the POST is timed.
"""

import http.client
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common
from bench.common import BIN, SMTP_PORT, WEB_PORT, manage, start, stop, wait_for_port

PASSWORD = "a calm long passphrase for timing"  # noqa: S105 - a throwaway benchmark account


class Sink:
    received = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.received += 1
        return "250 OK"


def sign_up(email, client_number):
    connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT)
    connection.request("GET", "/accounts/signup/")
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie")
    token = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    body = f"csrfmiddlewaretoken={token}&email={email}&password1={PASSWORD}&password2={PASSWORD}&timezone=UTC"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={token}",
        "Referer": f"http://127.0.0.1:{WEB_PORT}/accounts/signup/",
        "X-Forwarded-For": f"198.51.100.{client_number % 250 + 1}",
    }
    started = time.perf_counter()
    connection.request("POST", "/accounts/signup/", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    assert response.status == 302, response.status
    return elapsed


def main(count):
    benchmark_environment = common.environment
    common.environment = lambda: {
        **benchmark_environment(),
        "ACCOUNT_RATE_LIMITS_ENABLED": "true",
        "TRUSTED_PROXY_COUNT": "1",
    }
    common.ensure_database(common.environment()["DATABASE_URL"])
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    sink = Controller(Sink(), hostname="127.0.0.1", port=SMTP_PORT)
    sink.start()
    server = start(
        "gunicorn",
        [str(BIN / "gunicorn"), "supportnet.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{WEB_PORT}"],
    )
    try:
        wait_for_port(WEB_PORT, server)
        known = f"known-{uuid.uuid4().hex[:8]}@example.org"
        sign_up(known, 0)
        for number in range(3):  # warm both workers
            sign_up(f"warm-{uuid.uuid4().hex}@example.org", number + 1)
        times = {"existing address": [], "new address": []}
        for number in range(count):
            times["existing address"].append(sign_up(known, 2 * number + 10))
            times["new address"].append(sign_up(f"new-{uuid.uuid4().hex}@example.org", 2 * number + 11))
        for label, values in times.items():
            print(
                f"{label}: median {statistics.median(values):.0f} ms "
                f"(min {min(values):.0f}, max {max(values):.0f}, n={len(values)})"
            )
        print(f"emails received by the sink: {Sink.received}")
    finally:
        stop(server)
        sink.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
