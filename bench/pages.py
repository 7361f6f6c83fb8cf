"""Page benchmarks: gunicorn (2 sync workers, persistent connections) on loopback, loaded by wrk.

Every page is measured right after /bench/floor, the cheapest signed-in view (sessions and auth,
no work), at the same number of clients, and reported as a ratio to that floor run: the machine's
load changes from minute to minute, and adjacent runs feel it alike. Query counts come from rendering each page once in
this process with the test client.
"""

import http.client
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

from bench.common import BIN, ROOT, WEB_PORT, start, stop, wait_for_port

# Who the pages are measured for: (label, seed, supporters, check-ins per supporter).
PAGE_USERS = [("20 supporters", 2, 20, 20), ("300 supporters", 3, 300, 17)]


@dataclass
class Page:
    name: str
    url_name: str
    supporter_in: str = ""  # "path" or "query": where the page takes one of the user's supporters


PAGES = [
    Page("floor (/bench/floor)", "benchdata:floor"),
    Page("dashboard", "dashboard:home"),
    Page("supporter list", "contacts:list"),
    Page("supporter detail", "contacts:detail", supporter_in="path"),
    Page("check-in form", "checkins:log", supporter_in="query"),
    Page("check-in list", "checkins:list"),
]


@dataclass
class Result:
    page: str
    size: str
    clients: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    queries: int
    kilobytes: float
    ratio: float = 0.0
    note: str = ""


def seed_page_users(manage):
    for _, seed, supporters, checkins in PAGE_USERS:
        manage(
            "seed_bench",
            "--users=1",
            f"--seed={seed}",
            f"--supporters-per-user={supporters}",
            f"--checkins-per-supporter={checkins}",
        )


def page_url(page, user):
    from django.urls import NoReverseMatch, reverse

    supporter = user.supporters.filter(is_archived=False).order_by("id").first()
    try:
        if page.supporter_in == "path":
            return reverse(page.url_name, args=[supporter.pk])
        if page.supporter_in == "query":
            return f"{reverse(page.url_name)}?supporter={supporter.pk}"
        return reverse(page.url_name)
    except NoReverseMatch:
        return None


def signed_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def render_once(client, url):
    """Status, query count and size of one page, rendered in this process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries), len(response.content) / 1024


def check_over_http(url, cookie):
    connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=30)
    connection.request("GET", url, headers={"Cookie": cookie})
    status = connection.getresponse().status
    connection.close()
    return status


def wrk(url, cookie, clients, seconds):
    command = [
        "wrk",
        "-t1",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "report.lua"),
        f"http://127.0.0.1:{WEB_PORT}{url}",
    ]
    result = subprocess.run(
        command, env={**os.environ, "BENCH_COOKIE": cookie}, capture_output=True, text=True, check=True
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def measured(figures, page, size, clients):
    if figures["not_ok"] or figures["socket_errors"]:
        note = f"{figures['not_ok']} not 200, {figures['socket_errors']} socket errors"
    else:
        note = ""
    return Result(
        page=page,
        size=size,
        clients=clients,
        requests_per_second=figures["requests"] / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        queries=0,
        kilobytes=0,
        note=note,
    )


def run(*, seconds, clients_list=(1, 16)):
    """Measure every page for every page user at each client count. Returns a list of Results."""
    if shutil.which("wrk") is None:
        sys.exit("The page benchmarks need wrk: apt-get install -y wrk (or brew install wrk).")
    from django.conf import settings
    from django.urls import reverse

    from accounts.models import User
    from benchdata.seeding import email_for

    server = start(
        "gunicorn",
        [
            str(BIN / "gunicorn"),
            "supportnet.wsgi",
            "--workers=2",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{WEB_PORT}",
            "--log-level=warning",
        ],
    )
    results = []
    try:
        wait_for_port(WEB_PORT, server)
        for label, seed, _, _ in PAGE_USERS:
            user = User.objects.get(email=email_for(seed, 0))
            client = signed_in_client(user)
            cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            floor_url = reverse("benchdata:floor")
            floor_runs = {clients: [] for clients in clients_list}
            first_row = len(results)
            floor_queries = render_once(client, floor_url)[1]
            wrk(floor_url, cookie, 2, 1)
            for page in PAGES[1:]:
                url = page_url(page, user)
                if url is None:
                    results.append(Result(page.name, label, 0, 0, 0, 0, 0, 0, note="not built yet"))
                    continue
                status, queries, kilobytes = render_once(client, url)
                if status != 200 or check_over_http(url, cookie) != 200:
                    results.append(
                        Result(page.name, label, 0, 0, 0, 0, queries, kilobytes, note=f"HTTP {status}")
                    )
                    continue
                wrk(url, cookie, 2, 1)  # warm up both workers (templates, connections)
                for clients in clients_list:
                    # The floor right before the page, so a busy moment on the machine hits both.
                    floor = measured(wrk(floor_url, cookie, clients, seconds), PAGES[0].name, label, clients)
                    floor_runs[clients].append(floor)
                    result = measured(wrk(url, cookie, clients, seconds), page.name, label, clients)
                    result.queries, result.kilobytes = queries, kilobytes
                    result.ratio = result.requests_per_second / floor.requests_per_second
                    results.append(result)
            floors = []
            for runs in floor_runs.values():
                if runs:
                    floor = sorted(runs, key=lambda run: run.requests_per_second)[len(runs) // 2]
                    floor.ratio, floor.queries = 1.0, floor_queries
                    floor.note = (floor.note + f" median of {len(runs)} runs").strip()
                    floors.append(floor)
            results[first_row:first_row] = floors
    finally:
        stop(server)
    return results
