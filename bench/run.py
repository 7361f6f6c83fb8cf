"""`make bench`: seed PostgreSQL, run the page, sweep and digest benchmarks, print one table.

    python bench/run.py --scale full      # the issue's sizes: 100,000 users x 20 supporters x 20 check-ins
    python bench/run.py --scale medium    # 100,000 users x 20 supporters x 2 check-ins
    python bench/run.py --scale small     # a quick look: 15,000 users x 20 x 5
    python bench/run.py --only pages      # one part (pages, sweep, digests)

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL: `make bench` gives defaults) and wrk. Servers
listen on loopback only: gunicorn on BENCH_WEB_PORT (8108), the SMTP sink on BENCH_SMTP_PORT (1108).
Full plans and logs go to var/bench/.
"""

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

SCALES = {
    # users, supporters per user, check-ins per supporter, seconds per wrk run
    "small": (15_000, 20, 5, 5),
    # The users and supporters (what the sweep reads), with fewer check-ins to seed.
    "medium": (100_000, 20, 2, 5),
    "full": (100_000, 20, 20, 10),
}
PARTS = ("pages", "sweep", "digests")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=SCALES, default="full")
    parser.add_argument("--only", choices=PARTS, action="append", help="Run only this part (repeatable).")
    parser.add_argument("--seconds", type=int, help="Seconds per wrk run (default depends on the scale).")
    options = parser.parse_args()
    users, supporters, checkins, seconds = SCALES[options.scale]
    seconds = options.seconds or seconds
    parts = options.only or PARTS

    if "pages" in parts and shutil.which("wrk") is None:
        sys.exit("The page benchmarks need wrk: apt-get install -y wrk (or brew install wrk).")
    common.setup_django()
    machine = common.machine()
    common.manage("migrate", "--noinput", "-v0")
    common.manage("collectstatic", "--noinput", "-v0")

    from bench import pages, sweep

    print(
        f"Seeding {users:,} users x {supporters} supporters x {checkins} check-ins (seed 1) ...", flush=True
    )
    started = time.monotonic()
    common.manage(
        "seed_bench",
        f"--users={users}",
        f"--supporters-per-user={supporters}",
        f"--checkins-per-supporter={checkins}",
        "--seed=1",
    )
    pages.seed_page_users(common.manage)
    seeding_seconds = time.monotonic() - started

    sections = []
    if "pages" in parts:
        print(f"Page benchmarks ({seconds} s per run) ...", flush=True)
        sections.append(("pages", pages.run(seconds=seconds)))
    if "sweep" in parts:
        print("Sweep query benchmarks ...", flush=True)
        sections.append(("sweep", sweep.run_queries()))
    if "digests" in parts:
        from bench import digests

        print("End-to-end digest benchmarks ...", flush=True)
        sections.append(("digests", digests.run()))

    print()
    print(
        f"SupportNet benchmarks, scale {options.scale}: {users:,} users, {users * supporters:,} supporters, "
    )
    print(
        f"{users * supporters * checkins:,} check-ins (seeding, or checking the seed: {seeding_seconds:.0f} s)."
    )
    print(f"Machine: {machine}; PostgreSQL {common.postgres_version()}.")
    for name, rows in sections:
        print()
        print(TABLES[name](rows))


def table(headings, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headings, *rows, strict=True)]
    lines = [
        "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"
        for row in [headings, *rows]
    ]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def pages_table(results):
    rows = []
    for result in results:
        if result.clients == 0:
            rows.append([result.page, result.size, "", "", "", "", "", result.queries or "", "", result.note])
            continue
        rows.append(
            [
                result.page,
                result.size,
                result.clients,
                f"{result.requests_per_second:,.0f}",
                f"{result.p50_ms:.1f}",
                f"{result.p95_ms:.1f}",
                f"{result.ratio:.2f}",
                result.queries,
                f"{result.kilobytes:.1f}",
                result.note,
            ]
        )
    return table(
        ["page", "user", "clients", "req/s", "p50 ms", "p95 ms", "x floor", "queries", "KB", "note"], rows
    )


def sweep_table(results):
    return table(
        [
            "sweep query",
            "due users",
            "ORM ms",
            "hand SQL ms",
            "ratio",
            "in DB: ORM / hand ms",
            "plan (ORM and hand)",
        ],
        [
            [
                r.what,
                f"{r.due:,}",
                f"{r.orm_ms:.2f}",
                f"{r.sql_ms:.2f}",
                f"{r.ratio:.2f}",
                f"{r.orm_database_ms:.2f} / {r.sql_database_ms:.2f}",
                r.orm_plan
                if r.orm_plan == r.sql_plan.replace(" u;", ";").replace(" s", " u0")
                else f"ORM: {r.orm_plan}; hand: {r.sql_plan}",
            ]
            for r in results
        ],
    )


def digests_table(results):
    return table(
        [
            "digest run",
            "workers",
            "digests",
            "sweep s",
            "total s",
            "digests/s",
            "CPU ms/digest: sweep, workers",
            "arrived",
            "exactly once",
            "note",
        ],
        [
            [
                r.what,
                r.workers,
                f"{r.digests:,}",
                f"{r.sweep_seconds:.1f}",
                f"{r.total_seconds:.1f}",
                f"{r.per_second:.0f}",
                f"{r.sweep_cpu_ms:.1f}, {r.worker_cpu_ms:.1f}",
                f"{r.arrived:,}",
                "yes" if r.exactly_once else "NO",
                r.note,
            ]
            for r in results
        ],
    )


TABLES = {"pages": pages_table, "sweep": sweep_table, "digests": digests_table}

if __name__ == "__main__":
    main()
