"""Pushes per second: one sweep queues N push reminders; one Celery worker (prefork, 2 processes)
encrypts and signs each one (pywebpush) and posts it over TLS to the loopback push service of the
tests (tests/push_service.py, which checks VAPID and decrypts every payload, in this process).

Run on its own (not part of `make bench`, which needs the big seed):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/supportnet_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/push.py [N]
Reports pushes/s and whether every device got exactly one notification.
"""

import collections
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup_django
from push import keys

PEOPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
EMAIL_PATTERN = "push-bench-{}@example.com"
TIMEOUT_SECONDS = 600


def make_people(service, count):
    from django.utils import timezone

    from accounts.models import User
    from contacts.models import Rhythm, Supporter
    from push.models import PushSubscription, endpoint_digest

    User.objects.filter(email__startswith="push-bench-").delete()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    users = User.objects.bulk_create(
        User(
            email=EMAIL_PATTERN.format(index),
            reminder_hour=0,
            reminder_channel="push",
            next_digest_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        for index in range(count)
    )
    Supporter.objects.bulk_create(
        Supporter(
            owner=user,
            name="Ada",
            gives_emotional=True,
            rhythm=Rhythm.CUSTOM,
            rhythm_days=7,
            created_at=long_ago,
            next_check_in_at=long_ago,
        )
        for user in users
    )
    devices = {}
    subscriptions = []
    for user in users:
        device = service.new_device()
        devices[device.id] = user.pk
        info = device.subscription_json()
        subscriptions.append(
            PushSubscription(
                user=user,
                endpoint=info["endpoint"],
                endpoint_digest=endpoint_digest(info["endpoint"]),
                p256dh=info["keys"]["p256dh"],
                auth=info["keys"]["auth"],
                device_name="Bench",
                created_at=timezone.now(),
            )
        )
    PushSubscription.objects.bulk_create(subscriptions)
    return [user.pk for user in users], devices


def main():
    os.environ["WEBPUSH_ENABLED"] = "true"
    os.environ.setdefault("WEBPUSH_VAPID_PRIVATE_KEY", keys.private_key_generate())
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from bench.common import stop
    from bench.digests import cpu_seconds, start_workers
    from checkins.models import Digest, DigestStatus
    from checkins.services.sweep import reminders_send_due
    from checkins.tasks import digests_hand_over
    from supportnet.celery import app
    from tests.push_service import PushService

    call_command("migrate", verbosity=0)
    service = PushService(vapid_public_key=settings.WEBPUSH_VAPID_PUBLIC_KEY).start()
    os.environ["REQUESTS_CA_BUNDLE"] = service.ca_bundle  # inherited by the workers
    user_ids, devices = make_people(service, PEOPLE)
    app.control.purge()
    workers = start_workers(["push-bench"], 2)
    try:
        started = time.monotonic()
        claimed = reminders_send_due(hand_over=digests_hand_over)
        sweep_seconds = time.monotonic() - started
        deadline = started + TIMEOUT_SECONDS
        while len(service.received) < len(claimed) and time.monotonic() < deadline:
            time.sleep(0.1)
        seconds = time.monotonic() - started
        time.sleep(3)  # any duplicate would arrive now
        worker_cpu = cpu_seconds([worker.pid for worker in workers])
    finally:
        for worker in workers:
            stop(worker, timeout=60)
        service.stop()
    per_device = collections.Counter(entry.device_id for entry in service.received)
    sent = Digest.objects.filter(user_id__in=user_ids, status=DigestStatus.SENT).count()
    exactly_once = (
        len(per_device) == len(devices) and set(per_device.values()) == {1} and sent == len(devices)
    )
    print(f"people with one device each: {len(devices):,}; claimed: {len(claimed):,}; digests sent: {sent:,}")
    print(
        f"pushes received: {len(service.received):,} in {seconds:.1f} s = {len(service.received) / seconds:.0f}/s"
    )
    print(
        f"sweep (claim and queue): {sweep_seconds:.1f} s; worker CPU per push: {worker_cpu * 1000 / max(1, len(service.received)):.0f} ms"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"refused by the push service: {len(service.refused)}; exactly once per device: {exactly_once}")


if __name__ == "__main__":
    main()
