"""End to end: one sweep queues 5,000 due digests; Celery workers (prefork) render them and deliver
them over SMTP to a sink on loopback. Reports digests/s and that each person got exactly one email.

Two runs, on two different sets of 5,000 people:
- one worker, prefork pool of 2 processes;
- three workers (one process each) on the same broker, with every task queued a second time, as
  a broker redelivering messages would: the database claim must still send each digest once.
"""

import collections
import datetime
import os
import sys
import time
from dataclasses import dataclass

from bench.common import BIN, OUT, ROOT, SMTP_PORT, start, stop, wait_for_port

DIGESTS = int(os.environ.get("BENCH_DIGESTS", "5000"))
TIMEOUT_SECONDS = 900
DAY = datetime.timedelta(days=1)


@dataclass
class Result:
    what: str
    workers: str
    digests: int
    sweep_seconds: float
    total_seconds: float
    per_second: float
    arrived: int
    exactly_once: bool
    note: str = ""
    worker_cpu_ms: float = 0.0
    sweep_cpu_ms: float = 0.0


class Sink:
    """The SMTP sink process (bench/sink.py) and what it has received so far."""

    def __init__(self):
        OUT.mkdir(parents=True, exist_ok=True)
        self.path = OUT / "sink.tsv"
        self.path.write_text("")
        self.process = start(
            "sink", [sys.executable, str(ROOT / "bench" / "sink.py"), str(SMTP_PORT), str(self.path)]
        )
        wait_for_port(SMTP_PORT, self.process)

    def reset(self):
        self.path.write_text("")

    def lines(self):
        text = self.path.read_text()
        return [line.split("\t") for line in text.splitlines(keepends=True) if line.endswith("\n")]

    @property
    def total(self):
        return len(self.lines())

    def recipients(self):
        counts = collections.Counter()
        for _, recipients in self.lines():
            counts.update(recipients.strip().split(","))
        return counts

    def last_at(self):
        return max((float(at) for at, _ in self.lines()), default=None)

    def stop(self):
        stop(self.process)


def choose_people(offset, count, now):
    """`count` seeded people who have someone due, made due for their digest right now; nobody else is.

    Their digest hour becomes local midnight (so today's slot has passed in every time zone), every
    weekday, no pause; any digest they were sent by an earlier run is forgotten.
    """
    from django.db import connection

    from benchdata.seeding import seed_email_pattern

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT u.id FROM accounts_user u
            WHERE u.email LIKE %(pattern)s AND u.is_active AND EXISTS (
                SELECT 1 FROM contacts_supporter s
                WHERE s.owner_id = u.id AND NOT s.is_archived AND s.next_check_in_at <= %(now)s)
            ORDER BY u.id OFFSET %(offset)s LIMIT %(count)s
            """,
            {"pattern": seed_email_pattern(1), "now": now, "offset": offset, "count": count},
        )
        chosen = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "UPDATE accounts_user SET next_digest_at = %s WHERE next_digest_at <= %s",
            [now + DAY, now],
        )
        cursor.execute("DELETE FROM checkins_digest WHERE user_id = ANY(%s)", [chosen])
        cursor.execute(
            """
            UPDATE accounts_user SET reminders_enabled = true, reminder_hour = 0,
                reminder_weekdays = '0123456', reminders_paused_until = NULL,
                next_digest_at = %s - interval '1 minute'
            WHERE id = ANY(%s)
            """,
            [now, chosen],
        )
        cursor.execute("SELECT email FROM accounts_user WHERE id = ANY(%s)", [chosen])
        emails = {row[0] for row in cursor.fetchall()}
    return chosen, emails


def start_workers(names, concurrency):
    from supportnet.celery import app

    workers = [
        start(
            f"worker-{name}",
            [
                str(BIN / "celery"),
                "-A",
                "supportnet",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--loglevel=WARNING",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{name}@%h",
            ],
        )
        for name in names
    ]
    deadline = time.monotonic() + 60
    while len(app.control.ping(timeout=1) or []) < len(names):
        if time.monotonic() > deadline or any(worker.poll() is not None for worker in workers):
            for worker in workers:
                stop(worker)
            raise SystemExit("The Celery workers did not start; see var/bench/worker-*.log")
    return workers


def cpu_seconds(root_pids):
    """CPU time (user + system) used so far by these processes and all their descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents, used = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        used[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks
    wanted = set(root_pids)
    changed = True
    while changed:
        children = {pid for pid, parent in parents.items() if parent in wanted} - wanted
        wanted |= children
        changed = bool(children)
    return sum(used.get(pid, 0) for pid in wanted)


def queue_length():
    from supportnet.celery import app

    with app.connection_for_read() as connection:
        return connection.default_channel.client.llen("celery")


def one_run(sink, *, what, offset, names, concurrency, queue_twice):
    from django.utils import timezone

    from checkins.models import Digest, DigestStatus
    from checkins.services.sweep import batches, reminders_send_due
    from checkins.tasks import digests_hand_over, send_digests
    from supportnet.celery import app

    now = timezone.now()
    chosen, emails = choose_people(offset, DIGESTS, now)
    app.control.purge()
    sink.reset()
    workers = start_workers(names, concurrency)
    try:
        started = time.monotonic()
        started_at = time.time()
        sweep_cpu_started = time.process_time()
        claimed = reminders_send_due(hand_over=digests_hand_over)
        sweep_seconds = time.monotonic() - started
        sweep_cpu = time.process_time() - sweep_cpu_started
        if queue_twice:
            for batch in batches(claimed):
                send_digests.delay(batch)
        deadline = started + TIMEOUT_SECONDS
        while sink.total < len(claimed) and time.monotonic() < deadline:
            time.sleep(0.2)
        last_at = sink.last_at()
        total_seconds = (last_at - started_at) if last_at else time.monotonic() - started
        # Let any duplicates (and, with queue_twice, the second copies) drain before counting.
        while queue_length() and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)
        worker_cpu = cpu_seconds([worker.pid for worker in workers])
    finally:
        for worker in workers:
            stop(worker, timeout=60)
    sent = Digest.objects.filter(user_id__in=chosen, status=DigestStatus.SENT).count()
    received = sink.recipients()
    exactly_once = (
        len(claimed) == len(chosen) == sent == sink.total == len(received)
        and set(received) == emails
        and max(received.values(), default=0) == 1
    )
    notes = []
    if len(claimed) != len(chosen):
        notes.append(f"sweep claimed {len(claimed):,} of {len(chosen):,}")
    if sent != len(claimed):
        notes.append(f"{sent:,} marked sent")
    if sink.total != len(received):
        notes.append(f"{sink.total - len(received):,} duplicates")
    if queue_twice:
        notes.append("every task queued twice")
    return Result(
        what=what,
        workers=" + ".join([f"{concurrency} proc"] * len(names)),
        digests=len(claimed),
        sweep_seconds=sweep_seconds,
        total_seconds=total_seconds,
        per_second=sink.total / total_seconds if total_seconds else 0,
        arrived=sink.total,
        exactly_once=exactly_once,
        note="; ".join(notes),
        worker_cpu_ms=worker_cpu * 1000 / max(1, sink.total),
        sweep_cpu_ms=sweep_cpu * 1000 / max(1, len(claimed)),
    )


def run():
    sink = Sink()
    try:
        return [
            one_run(sink, what="1 worker", offset=0, names=["bench-a"], concurrency=2, queue_twice=False),
            one_run(
                sink,
                what="3 workers",
                offset=DIGESTS,
                names=["bench-a", "bench-b", "bench-c"],
                concurrency=1,
                queue_twice=True,
            ),
        ]
    finally:
        sink.stop()
