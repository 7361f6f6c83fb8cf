"""The container's health check: GET /healthz on this container's gunicorn, exit 0 when it answers 200.

It sends the first of ALLOWED_HOSTS as the Host (Django answers 400 to any other) and says it came
over HTTPS through the proxy, so SECURE_SSL_REDIRECT does not turn it into a redirect.
"""

import os
import sys
import urllib.error
import urllib.request

PORT = os.environ.get("HEALTHCHECK_PORT", "8000")


def host_header():
    first = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    if first in {"", "*"}:
        return "localhost"
    return "healthcheck" + first if first.startswith(".") else first


def main():
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}/healthz",
        headers={"Host": host_header(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (a fixed local URL)
            print(response.read().decode())
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"/healthz did not answer 200: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
