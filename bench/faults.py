"""`make faults`: reminders under faults, from outside, with real processes; prints one table.

Real Celery workers (prefork) and one real beat on Redis, PostgreSQL, and an SMTP server on
loopback run here in this process (so it can refuse, go down, or kill the sender mid-transaction).
Each scenario makes fresh people due, injects its fault, waits until every digest has settled,
and counts emails per recipient at the SMTP server:

    expected    people due, each owed exactly one email
    delivered   people who received at least one
    duplicates  emails beyond the first per person
    lost        people who received none
    recovery    seconds from the end of the fault to the last person's first email

The windows are shortened (sweep every 4 s, re-queue after 8 s, task hard limit 10 s, claim taken
back after 19 s) by the same settings production reads, so a run takes minutes, not hours.
Uses its own database (DATABASE_URL's name + "_faults") and flushes only REDIS_URL's own database.
"""

import collections
import datetime
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller

from bench import common

PEOPLE = int(os.environ.get("FAULTS_PEOPLE", "30"))
SMTP_PORT = int(os.environ.get("FAULTS_SMTP_PORT", "1109"))
SCENARIO_TIMEOUT = 180
FAST_WINDOWS = {
    "REMINDER_SWEEP_INTERVAL_SECONDS": "4",
    "REMINDER_REQUEUE_AFTER_SECONDS": "8",
    "CELERY_TASK_SOFT_TIME_LIMIT": "8",
    "CELERY_TASK_TIME_LIMIT": "10",
    "EMAIL_TIMEOUT": "3",
    "REMINDER_CLAIM_TAKEBACK_SECONDS": "19",
    "REMINDER_RETRY_DELAY_SECONDS": "1",
    "REMINDER_SWEEP_STALE_AFTER_INTERVALS": "3",
    # Six batches of the 30 people, so kills land in different batches as they would at scale.
    "REMINDER_BATCH_SIZE": "5",
}
OUT = common.ROOT / "var" / "faults"


def faults_database_url():
    parsed = urlparse(os.environ.get("DATABASE_URL", ""))
    if parsed.path.endswith("_faults"):
        return parsed.geturl()
    return urlunparse(parsed._replace(path=parsed.path.rstrip("/") + "_faults"))


def environment():
    return {
        **common.environment(),
        **FAST_WINDOWS,
        "DATABASE_URL": faults_database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "LOG_LEVEL": "INFO",
    }


# --- The SMTP server, with its faults -----------------------------------------------------------


class Sink:
    """Counts accepted messages per recipient; can answer 451, or kill the sending process
    at RCPT (before it has the message) or at the end of DATA (after it has it, before the 250)."""

    def __init__(self, processes):
        self.processes = processes
        self.lock = threading.Lock()
        self.received = collections.Counter()
        self.first_at = {}
        self.temporary_failure = False
        self.kill_at_rcpt = 0
        self.kill_after_data = 0
        self.kill_at_quit = 0
        self.kills = []
        # Sessions whose message was accepted and that have not said QUIT (yet): when the sender
        # vanishes, its kill landed inside the SMTP transaction, the one window for a duplicate.
        self.accepted_before_quit = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.kill_at_rcpt and self.kill_sender(session):
            self.kill_at_rcpt -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.temporary_failure:
            return "451 Requested action aborted: try again later"
        with self.lock:
            for address in envelope.rcpt_tos:
                self.received[address] += 1
                self.first_at.setdefault(address, time.monotonic())
                self.accepted_before_quit[session] = address  # keyed by the object: ids are reused
        if self.kill_after_data and self.kill_sender(session):
            self.kill_after_data -= 1
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        with self.lock:
            self.accepted_before_quit.pop(session, None)
        if self.kill_at_quit and self.kill_sender(session):
            self.kill_at_quit -= 1
        return "221 Bye"

    def vanished_after_acceptance(self, emails):
        with self.lock:
            return sum(1 for address in self.accepted_before_quit.values() if address in emails)

    def kill_sender(self, session):
        pid = self.processes.pid_of_client(session.peer[1])
        if pid is None:
            return False
        os.kill(pid, signal.SIGKILL)
        self.kills.append(time.monotonic())
        return True


# --- Workers, beat, and finding who holds a socket ----------------------------------------------


class Processes:
    def __init__(self):
        self.workers = []
        self.beats = []

    def start_worker(self, name):
        worker = start(
            f"worker-{name}",
            [
                "-m",
                "celery",
                "-A",
                "supportnet",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"{name}@%h",
            ],
        )
        self.workers.append(worker)
        return worker

    def start_workers(self):
        from supportnet.celery import app

        for name in ("faults-a", "faults-b"):
            self.start_worker(name)
        wait(lambda: len(app.control.ping(timeout=1) or []) >= 2, 60, "the workers to start")

    def stop_workers(self):
        for worker in self.workers:
            common.stop(worker, timeout=30)
        self.workers = []

    def start_beat(self, name="beat"):
        schedule = OUT / f"{name}-schedule"
        schedule.unlink(missing_ok=True)
        beat = start(
            name, ["-m", "celery", "-A", "supportnet", "beat", "--loglevel=INFO", "-s", str(schedule)]
        )
        self.beats.append(beat)
        return beat

    def stop_beat(self, beat):
        common.stop(beat)
        self.beats.remove(beat)

    def worker_children(self):
        parents = {worker.pid for worker in self.workers}
        children = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) in parents:
                    children.append(int(entry))
        return children

    def pid_of_client(self, port):
        """The worker process whose TCP socket has this local port (the SMTP client)."""
        inodes = set()
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == port:
                inodes.add(fields[9])
        for pid in self.worker_children():
            try:
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return pid
            except OSError:
                continue
        return None

    def stop_all(self):
        self.stop_workers()
        for beat in list(self.beats):
            self.stop_beat(beat)


def start(name, arguments):
    OUT.mkdir(parents=True, exist_ok=True)
    log = open(OUT / f"{name}.log", "a")  # noqa: SIM115 - the process owns it until stop()
    process = subprocess.Popen(
        [sys.executable, *arguments],
        cwd=common.ROOT,
        env=environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    return process


def manage(*arguments, extra_environment=None):
    return subprocess.Popen(
        [sys.executable, "manage.py", *arguments],
        cwd=common.ROOT,
        env={**environment(), **(extra_environment or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"Gave up waiting for {what} after {timeout} s")
        time.sleep(0.2)


# --- People, and when a scenario has settled ----------------------------------------------------


def zones_away_from_midnight():
    """Time zones where it is between 01:00 and 21:59 now, so no local day ends during a run."""
    from django.utils import timezone

    from accounts.models import User

    candidates = [
        "UTC",
        "Europe/London",
        "Asia/Tokyo",
        "Pacific/Auckland",
        "America/New_York",
        "Pacific/Honolulu",
        "Asia/Kolkata",
        "America/Los_Angeles",
    ]
    now = timezone.now()
    zones = [zone for zone in candidates if 1 <= timezone.localtime(now, User(timezone=zone).zone).hour <= 21]
    return zones


def make_people(scenario):
    """PEOPLE people, each with one supporter due, whose digest time (local midnight) has passed."""
    from django.utils import timezone

    from accounts.models import User
    from checkins.services.check_ins import supporters_due_recompute
    from checkins.services.schedule import user_schedule_recompute
    from contacts.models import Rhythm, Supporter

    zones = zones_away_from_midnight()
    emails = []
    for number in range(PEOPLE):
        person = User.objects.create_user(
            email=f"{scenario}-{number}@faults.example",
            password=None,
            timezone=zones[number % len(zones)],
            reminder_hour=0,
            reminder_weekdays="0123456",
        )
        supporter = Supporter.objects.create(
            owner=person, name=f"Friend {number}", gives_peer=True, rhythm=Rhythm.CUSTOM, rhythm_days=7
        )
        Supporter.objects.filter(pk=supporter.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=10)
        )
        supporters_due_recompute(user=person)
        user_schedule_recompute(user=person, now=timezone.now())
        emails.append(person.email)
    return emails


def settled(emails):
    """Every digest of these people is sent (or finally settled) and nobody holds a claim."""
    from checkins.models import Digest, DigestStatus

    digests = Digest.objects.filter(user__email__in=emails)
    return (
        digests.count() == len(emails)
        and not digests.filter(status__in=[DigestStatus.QUEUED, DigestStatus.SENDING]).exists()
        and not digests.filter(status=DigestStatus.FAILED).exists()
    )


class Row(collections.namedtuple("Row", "scenario expected delivered duplicates lost recovery note")):
    explained = True  # every duplicate is a sender killed inside the SMTP transaction


def outcome(name, sink, emails, fault_ended_at, *, note=""):
    """Wait until every digest has settled; recovery is from the fault's end to that moment."""
    try:
        wait(lambda: settled(emails), SCENARIO_TIMEOUT, f"{name} to settle")
    except TimeoutError as error:
        note = f"{note}; {error}".strip("; ")
    recovery = time.monotonic() - fault_ended_at
    with sink.lock:
        counts = {email: sink.received[email] for email in emails}
    delivered = sum(1 for count in counts.values() if count)
    duplicates = sum(count - 1 for count in counts.values() if count > 1)
    vanished = sink.vanished_after_acceptance(set(emails))
    if vanished:
        note = f"{note}; {vanished} sender(s) killed after the server accepted, before QUIT".strip("; ")
    row = Row(name, f"{len(emails)} once", delivered, duplicates, len(emails) - delivered, recovery, note)
    row.explained = duplicates <= vanished
    return row


# --- The scenarios ------------------------------------------------------------------------------


def scenario_baseline(processes, sink):
    emails = make_people("baseline")
    return outcome("beat only, no fault", sink, emails, time.monotonic())


def scenario_sweeps_at_once(processes, sink):
    emails = make_people("sweeps")
    runs = [
        manage("send_reminders", "--queue"),
        manage("send_reminders", "--queue"),
        manage("send_reminders"),
    ]
    started = time.monotonic()
    for run in runs:
        run.wait()
    return outcome("3 manual sweeps beside beat", sink, emails, started)


def scenario_two_beats_tasks_twice(processes, sink):
    from checkins.models import Digest
    from checkins.tasks import send_digests

    second = processes.start_beat("beat-second")
    emails = make_people("twice")
    started = time.monotonic()
    published = set()
    while not settled(emails) and time.monotonic() - started < SCENARIO_TIMEOUT:
        for digest_id in Digest.objects.filter(user__email__in=emails).values_list("pk", flat=True):
            if digest_id not in published:
                for _ in range(3):  # every task three times, as a broker redelivering would
                    send_digests.delay([digest_id])
                published.add(digest_id)
        time.sleep(0.2)
    processes.stop_beat(second)
    return outcome("two beats, every task queued 3 more times", sink, emails, started)


def scenario_flushed_queue(processes, sink):
    from supportnet.celery import app

    processes.stop_workers()
    emails = make_people("flush")
    manage("send_reminders", "--queue").wait()
    wait(lambda: settled_count(emails) == len(emails), 30, "the digests to be queued")
    with app.connection_for_write() as connection:
        connection.default_channel.client.flushdb()  # REDIS_URL's own database only
    flushed_at = time.monotonic()
    processes.start_workers()
    return outcome("Redis flushed with every digest queued", sink, emails, flushed_at)


def settled_count(emails):
    from checkins.models import Digest

    return Digest.objects.filter(user__email__in=emails).count()


def scenario_broker_unreachable(processes, sink):
    from checkins.models import Digest, DigestStatus
    from checkins.services.sweep import SweepTrigger, sweep_last_finished_at

    processes.stop_beat(processes.beats[0])  # so the broken sweep is the one that finds them
    emails = make_people("broker")
    before = sweep_last_finished_at(trigger=SweepTrigger.MANUAL)
    # A sweep whose broker is gone: every publish fails; the sweep still finishes.
    broken = {"CELERY_BROKER_URL": "redis://127.0.0.1:9/0"}
    manage("send_reminders", "--queue", extra_environment=broken).wait()
    ended = time.monotonic()
    failed = Digest.objects.filter(user__email__in=emails, status=DigestStatus.FAILED).count()
    finished = sweep_last_finished_at(trigger=SweepTrigger.MANUAL) != before
    processes.start_beat()
    note = f"{failed} left failed for the next sweep; heartbeat {'written' if finished else 'MISSING'}"
    return outcome("broker unreachable during a sweep", sink, emails, ended, note=note)


def scenario_smtp_down(processes, sink, controller_box):
    emails = make_people("smtp")
    controller_box[0].stop()  # refused
    wait(lambda: settled_count(emails) > 0, 30, "a sweep")
    hold(6)
    controller_box[0] = start_smtp(sink)
    sink.temporary_failure = True  # then 451
    hold(6)
    sink.temporary_failure = False
    return outcome("SMTP refused 6 s, then 451 6 s", sink, emails, time.monotonic())


def hold(seconds):
    """Keep a fault in place for this long (the fault, not a test's wait)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.2)


def scenario_random_kills(processes, sink, kills=5):
    from checkins.models import Digest, DigestStatus

    emails = make_people("kills")
    done = 0
    last = time.monotonic()
    deadline = last + 60
    while done < kills and time.monotonic() < deadline:
        if Digest.objects.filter(user__email__in=emails, status=DigestStatus.SENDING).exists():
            children = processes.worker_children()
            if children:
                os.kill(random.choice(children), signal.SIGKILL)
                done += 1
                last = time.monotonic()
                hold(0.5)
        time.sleep(0.05)
    return outcome(f"worker processes killed while sending ({done} kills)", sink, emails, last)


KILL_POINTS = {
    "rcpt": ("kill_at_rcpt", "at RCPT, before the server has the message"),
    "data": ("kill_after_data", "after the server has the message, before its 250"),
    "quit": ("kill_at_quit", "after the 250, at QUIT"),
}


def scenario_kills_in_smtp(processes, sink, *, kills, point):
    counter, where = KILL_POINTS[point]
    emails = make_people(f"smtp-{point}")
    setattr(sink, counter, kills)
    # A killed sender's batch waits for the takeback and a sweep before it can be killed again.
    per_kill = int(FAST_WINDOWS["REMINDER_CLAIM_TAKEBACK_SECONDS"]) + 2 * int(
        FAST_WINDOWS["REMINDER_SWEEP_INTERVAL_SECONDS"]
    )
    wait(lambda: not getattr(sink, counter), max(120, kills * per_kill), "the kills")
    return outcome(f"{kills} senders killed inside SMTP, {where}", sink, emails, sink.kills[-1])


def start_smtp(sink):
    controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    return controller


def print_table(rows):
    headers = ("scenario", "expected", "delivered", "duplicates", "lost", "recovery (s)", "note")
    table = [headers] + [
        (
            row.scenario,
            row.expected,
            str(row.delivered),
            str(row.duplicates),
            str(row.lost),
            f"{row.recovery:.1f}",
            row.note,
        )
        for row in rows
    ]
    widths = [max(len(line[column]) for line in table) for column in range(len(headers))]
    for index, line in enumerate(table):
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def main():
    os.environ.update(environment())
    common.ensure_database(os.environ["DATABASE_URL"])
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=common.ROOT,
        env=environment(),
        check=True,
    )
    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per SMTP command
    from django.db import connection

    from supportnet.celery import app

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_user, checkins_sweepheartbeat CASCADE")
    app.control.purge()
    for log in OUT.glob("*.log"):
        log.unlink()
    print(f"Reminder fault suite: {PEOPLE} people per scenario; {common.machine()}", flush=True)
    print("Windows: " + ", ".join(f"{key}={value}" for key, value in FAST_WINDOWS.items()), flush=True)
    processes = Processes()
    sink = Sink(processes)
    controller_box = [start_smtp(sink)]
    rows = []
    try:
        processes.start_workers()
        processes.start_beat()
        scenarios = [
            lambda: scenario_baseline(processes, sink),
            lambda: scenario_sweeps_at_once(processes, sink),
            lambda: scenario_two_beats_tasks_twice(processes, sink),
            lambda: scenario_flushed_queue(processes, sink),
            lambda: scenario_broker_unreachable(processes, sink),
            lambda: scenario_smtp_down(processes, sink, controller_box),
            lambda: scenario_random_kills(processes, sink),
            lambda: scenario_kills_in_smtp(processes, sink, kills=6, point="rcpt"),
            lambda: scenario_kills_in_smtp(processes, sink, kills=12, point="data"),
            # Every batch's sender killed at QUIT: six batches, so six kills.
            lambda: scenario_kills_in_smtp(processes, sink, kills=6, point="quit"),
        ]
        for scenario in scenarios:
            row = scenario()
            print(
                f"  {row.scenario}: {row.delivered}/{row.expected}, {row.duplicates} duplicates, "
                f"{row.lost} lost, {row.recovery:.1f} s",
                flush=True,
            )
            rows.append(row)
    finally:
        processes.stop_all()
        controller_box[0].stop()
    print()
    print_table(rows)
    broken = [row for row in rows if row.lost or not row.explained]
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
