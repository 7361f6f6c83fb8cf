"""In process, turn about: each page for the 20- and the 300-supporter page users, median of N each,
and their ratio; with --profile PAGE, a cProfile of that page for the 300-supporter user.

A benchmark, not a test. Less noisy than wrk on a shared machine: both sizes are timed alternately in
one process, so a busy moment hits both. Needs the data `make bench` seeds (run it once first):

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/page_ratios.py [--runs 40] [--profile dashboard]

The dashboard is timed as people see it most: with its summary and fragments cached (see
dashboard/overview.py); --cold clears the cache (the whole Redis database of REDIS_URL: the
benchmark's own) before every request.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--cold", action="store_true", help="Clear the cache before every request.")
    parser.add_argument("--profile", help="Profile this page (a name from bench/pages.py, e.g. dashboard).")
    options = parser.parse_args()
    common.setup_django()
    from django.conf import settings
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["*"]
    from accounts.models import User
    from bench.pages import PAGE_USERS, PAGES, page_url, signed_in_client
    from benchdata.seeding import email_for

    users = {label: User.objects.get(email=email_for(seed, 0)) for label, seed, _, _ in PAGE_USERS}
    clients = {label: signed_in_client(user) for label, user in users.items()}

    def get(label, url):
        if options.cold:
            cache.clear()
        started = time.perf_counter()
        response = clients[label].get(url)
        return time.perf_counter() - started, response

    for page in PAGES:
        urls = {label: page_url(page, user) for label, user in users.items()}
        times = {label: [] for label in users}
        sizes = {}
        for label in users:
            get(label, urls[label])
        for _ in range(options.runs):
            for label in users:
                seconds, response = get(label, urls[label])
                times[label].append(seconds)
                sizes[label] = len(response.content) / 1024
        small, large = (statistics.median(times[label]) * 1000 for label in users)
        print(
            f"{page.name:22} "
            + "  ".join(
                f"{label}: {statistics.median(times[label]) * 1000:6.1f} ms {sizes[label]:5.1f} KB"
                for label in users
            )
            + f"  ratio {large / small:.2f}",
            flush=True,
        )
    if options.profile:
        label = PAGE_USERS[-1][0]
        page = next(page for page in PAGES if page.name.startswith(options.profile))
        url = page_url(page, users[label])
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(options.runs):
            get(label, url)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
