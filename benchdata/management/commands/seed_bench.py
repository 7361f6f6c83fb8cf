from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchdata import seeding


class Command(BaseCommand):
    help = (
        "Fill PostgreSQL with benchmark users (bench-<seed>-<n>@bench.supportnet.invalid), their "
        "supporters and check-ins, fast (COPY). The same seed and sizes give the same data; running "
        "again with them does nothing, with other sizes it replaces that seed's data only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, required=True)
        parser.add_argument("--supporters-per-user", type=int, default=20)
        parser.add_argument("--checkins-per-supporter", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1, help="One seed is one data set (default 1).")
        parser.add_argument(
            "--anchor",
            type=datetime.fromisoformat,
            help="The 'now' the data is built around (ISO 8601 with offset; default: midnight UTC today).",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_bench needs PostgreSQL (it uses COPY). Set DATABASE_URL.")
        sizes = seeding.Sizes(
            users=options["users"],
            supporters_per_user=options["supporters_per_user"],
            checkins_per_supporter=options["checkins_per_supporter"],
        )
        if min(sizes.users, sizes.supporters_per_user, sizes.checkins_per_supporter) < 0:
            raise CommandError("Sizes cannot be negative.")
        anchor = options["anchor"]
        if anchor is not None and anchor.tzinfo is None:
            raise CommandError("--anchor needs a UTC offset, e.g. 2026-11-28T00:00:00+00:00.")
        printed = [0]

        def progress(done):
            tenths = done * 10 // max(1, sizes.users)
            if options["verbosity"] > 1 and tenths > printed[0]:
                printed[0] = tenths
                self.stdout.write(f"  {done:,} / {sizes.users:,} users generated")

        outcome, seconds = seeding.seed(seed=options["seed"], sizes=sizes, anchor=anchor, progress=progress)
        rows = sizes.users * 2 + sizes.supporters + sizes.checkins
        self.stdout.write(
            f"Seed {options['seed']}: {outcome}: {sizes.users:,} users, {sizes.supporters:,} supporters, "
            f"{sizes.checkins:,} check-ins in {seconds:.1f} s"
            + (f" ({rows / seconds:,.0f} rows/s)." if outcome == "seeded" and seconds else ".")
        )
