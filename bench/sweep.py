"""The reminder sweep's "who is due" query: the ORM's SQL against the same query written by hand.

For 1%, 5% and 20% of users due, EXPLAIN ANALYZE both (full plans in var/bench/sweep-plans.txt)
and time each as the median of several runs from Python, fetching every row: the ORM's time
includes building its SQL and a User instance per row, the hand query's returns plain tuples of the
same columns. The database's own execution times (from EXPLAIN ANALYZE) are shown beside them.
"""

import datetime
import re
import statistics
import time
from dataclasses import dataclass

from bench.common import OUT

FRACTIONS = (0.01, 0.05, 0.20)
REPEATS = 9


@dataclass
class Result:
    what: str
    due: int
    orm_ms: float
    sql_ms: float
    ratio: float
    orm_database_ms: float
    sql_database_ms: float
    orm_plan: str
    sql_plan: str


def orm_queryset(now):
    """The sweep's own query: checkins.services.sweep.reminders_due_users."""
    from checkins.services.sweep import reminders_due_users

    return reminders_due_users(now=now)


# The same query by hand: the columns Django loads for a User, the same conditions and order.
HAND_SQL = """
SELECT u.* FROM accounts_user u
WHERE u.next_digest_at <= %(now)s AND u.reminders_enabled AND u.is_active
  AND (u.reminders_paused_until IS NULL OR u.reminders_paused_until < %(latest_local_today)s)
  AND EXISTS (
    SELECT 1 FROM contacts_supporter s
    WHERE s.owner_id = u.id AND NOT s.is_archived AND s.next_check_in_at <= %(now)s)
ORDER BY u.next_digest_at, u.id
"""


def hand_parameters(now):
    return {"now": now, "latest_local_today": (now + datetime.timedelta(hours=14)).date()}


def make_due(fraction, now):
    """Make `fraction` of the users with reminders on due at `now`, the rest due later today."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE accounts_user SET next_digest_at = CASE
                WHEN mod(id * 2654435761, 10007) < %(threshold)s THEN %(now)s - mod(id, 3600) * interval '1 second'
                ELSE %(now)s + (1 + mod(id, 86000)) * interval '1 second' END
            WHERE reminders_enabled
            """,
            {"threshold": round(fraction * 10007), "now": now},
        )
        cursor.execute("VACUUM ANALYZE accounts_user")
        cursor.execute(
            "SELECT count(*) FROM accounts_user WHERE reminders_enabled AND next_digest_at <= %s", [now]
        )
        return cursor.fetchone()[0]


def plan_summary(plan_lines):
    """The scan nodes of a plan, e.g. 'Index Scan using accounts_user_next_digest_at_...'."""
    scans = [line.strip().lstrip("-> ").split("  (")[0] for line in plan_lines if "Scan" in line]
    # Without table aliases, so the ORM's plan and the hand query's compare equal when they are.
    return "; ".join(re.sub(r" on (\w+) \w+$", r" on \1", scan) for scan in scans[:3])


def execution_ms(plan_lines):
    """PostgreSQL's own time for the query, from EXPLAIN ANALYZE."""
    line = next(line for line in plan_lines if line.strip().startswith("Execution Time:"))
    return float(line.split(":")[1].split()[0])


def timed_alternately(first, second):
    """Median milliseconds of each, run turn about, so a busy moment on the machine hits both."""
    times = ([], [])
    for _ in range(REPEATS):
        for function, bucket in zip((first, second), times, strict=True):
            started = time.perf_counter()
            function()
            bucket.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def run_queries(now=None):
    from django.db import connection

    now = now or datetime.datetime.now(datetime.UTC)
    results = []
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "sweep-plans.txt", "w") as plans:
        for fraction in FRACTIONS:
            due = make_due(fraction, now)
            queryset = orm_queryset(now)

            def run_orm(now=now):
                list(orm_queryset(now))

            def run_sql(now=now):
                with connection.cursor() as cursor:
                    cursor.execute(HAND_SQL, hand_parameters(now))
                    cursor.fetchall()

            run_orm()  # warm the cache for both, so neither plan pays for the first read
            run_sql()
            orm_plan = queryset.explain(analyze=True, buffers=True).splitlines()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + HAND_SQL, hand_parameters(now))
                sql_plan = [row[0] for row in cursor.fetchall()]
            orm_ms, sql_ms = timed_alternately(run_orm, run_sql)
            what = f"{fraction:.0%} due"
            plans.write(f"== {what} ({due} users)\n-- ORM: {queryset.query}\n" + "\n".join(orm_plan))
            plans.write(f"\n-- hand SQL: {HAND_SQL}\n" + "\n".join(sql_plan) + "\n\n")
            results.append(
                Result(
                    what=what,
                    due=due,
                    orm_ms=orm_ms,
                    sql_ms=sql_ms,
                    ratio=orm_ms / sql_ms,
                    orm_database_ms=execution_ms(orm_plan),
                    sql_database_ms=execution_ms(sql_plan),
                    orm_plan=plan_summary(orm_plan),
                    sql_plan=plan_summary(sql_plan),
                )
            )
    return results
