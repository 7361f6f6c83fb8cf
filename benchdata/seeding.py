"""Fill PostgreSQL fast with realistic users, supporters and check-ins, for the benchmarks in bench/.

One seed value is one data set: its users are `bench-<seed>-<n>@bench.supportnet.invalid`, and
the same seed, sizes and anchor always give the same rows. Seeding again with the same values does
nothing; with other sizes it replaces that seed's data set and leaves everything else alone.

Rows are generated from `random.Random(seed)` block by block and written with COPY FROM STDIN; a
second thread runs the COPY of one block while the first generates the next, so that on a 2-core
machine Python and PostgreSQL work at the same time. Columns the seeder does not know (added later
by other apps) get their model default.
"""

import io
import queue
import random
import threading
import time
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.models import NOT_PROVIDED

from accounts.models import User
from checkins.due import next_digest_at
from checkins.models import CheckIn
from contacts.models import Supporter

EMAIL_DOMAIN = "bench.supportnet.invalid"
PASSWORD = "a calm long benchmark passphrase"
DAY = 86400.0

# (zone, country, weight): where people are, roughly.
TIME_ZONES = [
    ("Europe/London", "GB", 20),
    ("America/New_York", "US", 14),
    ("America/Chicago", "US", 6),
    ("America/Los_Angeles", "US", 8),
    ("America/Toronto", "CA", 4),
    ("Europe/Dublin", "IE", 3),
    ("Europe/Berlin", "DE", 8),
    ("Europe/Paris", "FR", 5),
    ("Asia/Kolkata", "IN", 8),
    ("Australia/Sydney", "AU", 5),
    ("Pacific/Auckland", "NZ", 2),
    ("America/Sao_Paulo", "BR", 5),
    ("Asia/Tokyo", "JP", 3),
    ("Africa/Lagos", "NG", 3),
    ("UTC", "", 5),
]
REMINDER_HOURS = [(7, 8), (8, 14), (9, 20), (10, 8), (12, 6), (17, 8), (18, 12), (19, 12), (20, 8), (21, 4)]
WEEKDAYS = [("0123456", 60), ("01234", 25), ("06", 5), ("024", 5), ("135", 5)]
CIRCLE_RHYTHMS = [((7, 14, 30), 70), ((3, 10, 30), 10), ((14, 30, 60), 12), ((5, 21, 90), 8)]

SUPPORT_TYPES = ["emotional", "informational", "instrumental", "peer", "professional"]
MAIN_TYPE_WEIGHTS = [40, 15, 20, 10, 15]
RELATIONSHIPS = {
    "emotional": ["friend", "partner", "sister", "brother", "mum", "dad", "cousin", "old school friend"],
    "informational": ["support-group leader", "friend who has read up", "colleague", "aunt"],
    "instrumental": ["neighbour", "sibling", "flatmate", "friend from church"],
    "peer": ["peer mentor", "peer group member", "friend from the group"],
    "professional": ["therapist", "GP", "psychiatrist", "counsellor", "social worker", "community nurse"],
}
FIRST_NAMES = [
    "Aisha",
    "Alex",
    "Amara",
    "Ben",
    "Carmen",
    "Chen",
    "Chloe",
    "Dan",
    "Deepa",
    "Elena",
    "Eli",
    "Fatima",
    "Finn",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Isaac",
    "Jamal",
    "Jo",
    "Kai",
    "Kemi",
    "Lars",
    "Leila",
    "Liam",
    "Lucia",
    "Maya",
    "Mo",
    "Nadia",
    "Niamh",
    "Noah",
    "Olu",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Ruth",
    "Sam",
    "Sana",
    "Sofia",
    "Tariq",
    "Theo",
    "Uma",
    "Vera",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
    "Ana",
    "Ravi",
    "Ines",
    "Pat",
    "Robin",
    "Kit",
    "Ash",
    "Mei",
    "Luca",
    "Nora",
]
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTUVWY"
CIRCLES = [("inner", 20), ("middle", 40), ("outer", 40)]
FEELINGS = [("energising", 50), ("mixed", 25), ("draining", 7), ("", 18)]
CHANNELS = ["in_person", "call", "video", "message", "email", "other"]
CHANNEL_WEIGHTS = [25, 25, 10, 30, 7, 3]
RHYTHMS = [("circle", 70), ("custom", 20), ("none", 10)]
BEST_TIMES = [
    "Evenings after 7 are best.",
    "Not before 10 in the morning, please.",
    "Weekends only; works long shifts.",
    "Happy to hear from me any time, but not every day.",
]
SUPPORTER_NOTES = [
    "Knows about the diagnosis. Good listener.",
    "Prefers a text first before calling.",
    "Went through something similar a few years ago.",
    "Can drive me to appointments on Tuesdays.",
    "Sometimes gives advice when I just want to be heard; say so kindly.",
]
CHECK_IN_NOTES = [
    "Walked by the river and talked for an hour.",
    "Quick message to say thinking of them.",
    "Talked about the new medication; felt understood.",
    "Coffee; I said how things really are.",
    "They called to see how the appointment went.",
    "Hard conversation, but glad we had it.",
]
MOODS = [("", 20), ("1", 4), ("2", 10), ("3", 26), ("4", 28), ("5", 12)]


@dataclass(frozen=True)
class Sizes:
    users: int
    supporters_per_user: int
    checkins_per_supporter: int

    @property
    def supporters(self):
        return self.users * self.supporters_per_user

    @property
    def checkins(self):
        return self.supporters * self.checkins_per_supporter


def email_for(seed, index):
    return f"bench-{seed}-{index}@{EMAIL_DOMAIN}"


def seed_email_pattern(seed):
    return f"bench-{seed}-%@{EMAIL_DOMAIN}"


def default_anchor():
    """Midnight UTC today: the same seed gives the same rows all day."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def existing_counts(seed):
    """Users, supporters and check-ins of this seed's data set, as a Sizes-like triple."""
    users_of_seed = "SELECT id FROM accounts_user WHERE email LIKE %s"
    pattern = [seed_email_pattern(seed)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({users_of_seed}) AS u", pattern)
        users = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT count(*) FROM contacts_supporter WHERE owner_id IN ({users_of_seed})", pattern
        )
        supporters = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM checkins_checkin WHERE owner_id IN ({users_of_seed})", pattern)
        checkins = cursor.fetchone()[0]
    return users, supporters, checkins


def delete_seed(seed):
    """Delete this seed's users and everything that hangs off them, in SQL (Django's delete is too slow)."""
    with transaction.atomic(), connection.cursor() as cursor:
        delete_cascading(cursor, User, "email LIKE %s", [seed_email_pattern(seed)], depth=0)


def delete_cascading(cursor, model, where, params, depth):
    """DELETE FROM model WHERE where, after deleting (or nulling) every row that points at those rows."""
    if depth > 5:
        raise RuntimeError(f"Relations nest too deep under {model.__name__}")
    table = model._meta.db_table
    pk = model._meta.pk.column
    doomed = f"SELECT {pk} FROM {table} WHERE {where}"
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and (relation.one_to_many or relation.one_to_one)):
            continue
        if relation.concrete:
            continue
        related = relation.related_model
        column = relation.field.column
        on_delete = getattr(relation, "on_delete", None)
        if on_delete is not None and on_delete.__name__ == "SET_NULL":
            cursor.execute(
                f"UPDATE {related._meta.db_table} SET {column} = NULL WHERE {column} IN ({doomed})", params
            )
        else:
            delete_cascading(cursor, related, f"{column} IN ({doomed})", params, depth + 1)
    cursor.execute(f"DELETE FROM {table} WHERE {where}", params)


def allocate_ids(model, count):
    """Reserve `count` consecutive primary keys from the table's sequence; return the first."""
    if count == 0:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [sequence])
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def copy_text(value):
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def has_database_default(field):
    return getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED


def database_value(field, value):
    """A model default as the database stores it (JSON adapters unwrapped)."""
    prepared = field.get_db_prep_save(value, connection)
    if hasattr(prepared, "adapted") and hasattr(prepared, "dumps"):
        return prepared.dumps(prepared.adapted)
    return prepared


class Table:
    """A COPY target: the columns we generate, then every other column filled with its model default."""

    def __init__(self, model, generated, skip=()):
        self.name = model._meta.db_table
        others = [
            field
            for field in model._meta.concrete_fields
            if field.column not in generated and field.column not in skip and not has_database_default(field)
        ]
        for field in others:
            if not field.has_default() and not field.null:
                raise RuntimeError(f"seed_bench does not know how to fill {self.name}.{field.column}")
        self.columns = list(generated) + [field.column for field in others]
        defaults = [copy_text(database_value(field, field.get_default())) for field in others]
        self.suffix = "".join("\t" + value for value in defaults) + "\n"

    def copy_sql(self):
        columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        return f"COPY {self.name} ({columns}) FROM STDIN"


def skip_foreign_key_checks(cursor):
    """Skip the per-row foreign-key triggers for this transaction, when we are allowed to.

    Every id the seeder writes was allocated by this run, so the references hold by construction,
    and the deferred triggers would otherwise queue one event per row until commit (about 40% of
    the load time). This is what pg_restore --disable-triggers does. Needs a superuser; without
    one the checks simply run.
    """
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")


class Writer(threading.Thread):
    """Runs COPY for each block it is handed, inside one transaction, while the caller generates more."""

    def __init__(self):
        super().__init__(daemon=True)
        self.blocks = queue.Queue(maxsize=2)
        self.error = None

    def run(self):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                skip_foreign_key_checks(cursor)
                while (block := self.blocks.get()) is not None:
                    for table, buffer in block:
                        buffer.seek(0)
                        cursor.copy_expert(table.copy_sql(), buffer)
        except Exception as error:
            self.error = error
            while self.blocks.get() is not None:
                pass
        finally:
            connection.close()

    def put(self, block):
        self.blocks.put(block)


def stored_pool(model, field_name, texts):
    """Each text as the field writes it to the database (encrypted fields encrypt), ready for COPY."""
    field = model._meta.get_field(field_name)
    return [copy_text(field.get_db_prep_save(text, connection)) for text in texts]


def weighted(pairs):
    """A list in which each value appears `weight` times: picking a random slot picks by weight."""
    return [value for value, weight in pairs for _ in range(weight)]


class Generator:
    """Makes the rows of one data set, deterministically from the seed."""

    def __init__(self, *, seed, sizes, anchor):
        self.random = random.Random(seed)
        self.seed = seed
        self.sizes = sizes
        self.anchor = anchor
        self.anchor_epoch = anchor.timestamp()
        self.password = make_password(PASSWORD, salt=f"supportnet-bench-seed-{seed}")
        self.zones = {zone: zoneinfo.ZoneInfo(zone) for zone, _, _ in TIME_ZONES}
        self.time_zones = weighted([((zone, country), weight) for zone, country, weight in TIME_ZONES])
        self.hours = weighted(REMINDER_HOURS)
        self.weekdays = weighted(WEEKDAYS)
        self.circle_rhythms = weighted(CIRCLE_RHYTHMS)
        self.circles = weighted(CIRCLES)
        self.feelings = weighted(FEELINGS)
        self.rhythms = weighted(RHYTHMS)
        self.moods = weighted(MOODS)
        self.channels = weighted(zip(CHANNELS, CHANNEL_WEIGHTS, strict=True))
        self.main_types = weighted(zip(SUPPORT_TYPES, MAIN_TYPE_WEIGHTS, strict=True))
        # Stored as the fields store them (encrypted at rest), once per distinct text.
        self.check_in_notes = stored_pool(CheckIn, "note", CHECK_IN_NOTES)
        self.supporter_notes = stored_pool(Supporter, "notes", SUPPORTER_NOTES)
        self.best_times = stored_pool(Supporter, "best_times", BEST_TIMES)

        self.users = Table(
            User,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
                "timezone",
                "country",
                "inner_rhythm_days",
                "middle_rhythm_days",
                "outer_rhythm_days",
                "reminders_enabled",
                "reminder_hour",
                "reminder_weekdays",
                "reminders_paused_until",
                "next_digest_at",
            ],
        )
        self.emails = Table(EmailAddress, ["user_id", "email", "verified", "primary"], skip=["id"])
        self.supporters = Table(
            Supporter,
            [
                "id",
                "owner_id",
                "name",
                "relationship",
                *[f"gives_{kind}" for kind in SUPPORT_TYPES],
                "circle",
                "feeling",
                "email",
                "phone",
                "preferred_channel",
                "best_times",
                "rhythm",
                "rhythm_days",
                "is_crisis_contact",
                "notes",
                "is_archived",
                "last_check_in_at",
                "next_check_in_at",
                "snoozed_until",
                "created_at",
                "updated_at",
            ],
        )
        self.checkins = Table(
            CheckIn,
            [
                "owner_id",
                "supporter_id",
                "happened_at",
                "channel",
                "initiated_by",
                "mood",
                "note",
                "created_at",
            ],
            skip=["id"],
        )

    def pick(self, slots):
        return slots[int(self.random.random() * len(slots))]

    def moment(self, seconds_from_anchor):
        return datetime.fromtimestamp(self.anchor_epoch + seconds_from_anchor, UTC).isoformat()

    def next_digest_at(self, zone_name, hour, weekdays, paused_until):
        """When the digest goes out next, by the check-ins app's own rule, seen from the anchor."""
        person = SimpleNamespace(
            reminders_enabled=True,
            reminder_hour=hour,
            reminder_weekdays=weekdays,
            reminders_paused_until=paused_until,
            zone=self.zones[zone_name],
        )
        moment = next_digest_at(person, now=self.anchor)
        return moment.isoformat() if moment else None

    def due_at(self, base, every, zone, snoozed):
        """As checkins.due.supporter_due_at: local midnight `every` days after the base day, or the snooze."""
        day = datetime.fromtimestamp(self.anchor_epoch + base, zone).date() + timedelta(days=every)
        due = datetime(day.year, day.month, day.day, tzinfo=zone)
        if snoozed is not None:
            snoozed_at = datetime.fromtimestamp(self.anchor_epoch + snoozed, UTC)
            due = max(due, snoozed_at)
        return due.astimezone(UTC).isoformat()

    def block(self, first_index, count, first_user_id, first_supporter_id):
        """Generate users [first_index, first_index + count) and all their rows, as COPY buffers."""
        users, emails, supporters, checkins = io.StringIO(), io.StringIO(), io.StringIO(), io.StringIO()
        rand = self.random.random
        randint = self.random.randint
        sizes = self.sizes
        for offset in range(count):
            index = first_index + offset
            user_id = first_user_id + index
            email = email_for(self.seed, index)
            zone, country = self.pick(self.time_zones)
            rhythm_by_circle = dict(
                zip(["inner", "middle", "outer"], self.pick(self.circle_rhythms), strict=True)
            )
            enabled = rand() < 0.85
            hour = self.pick(self.hours)
            weekdays = self.pick(self.weekdays)
            paused_until = self.anchor.date() + timedelta(days=randint(1, 20)) if rand() < 0.05 else None
            joined = self.moment(-DAY * randint(30, 700))
            last_login = self.moment(-DAY * rand() * 30) if rand() < 0.9 else "\\N"
            row = [
                str(user_id),
                self.password,
                last_login,
                "f",
                "f",
                "t",
                joined,
                email,
                zone,
                country,
                str(rhythm_by_circle["inner"]),
                str(rhythm_by_circle["middle"]),
                str(rhythm_by_circle["outer"]),
                "t" if enabled else "f",
                str(hour),
                weekdays,
                paused_until.isoformat() if paused_until else "\\N",
                (self.next_digest_at(zone, hour, weekdays, paused_until) or "\\N") if enabled else "\\N",
            ]
            users.write("\t".join(row) + self.users.suffix)
            emails.write(f"{user_id}\t{email}\tt\tt{self.emails.suffix}")

            for number in range(sizes.supporters_per_user):
                supporter_id = first_supporter_id + index * sizes.supporters_per_user + number
                self.supporter(
                    supporters, checkins, user_id, supporter_id, rhythm_by_circle, self.zones[zone]
                )
        return [
            (self.users, users),
            (self.emails, emails),
            (self.supporters, supporters),
            (self.checkins, checkins),
        ]

    def supporter(self, supporters, checkins, user_id, supporter_id, rhythm_by_circle, zone):
        rand = self.random.random
        randint = self.random.randint
        main_type = self.pick(self.main_types)
        gives = ["t" if kind == main_type or rand() < 0.2 else "f" for kind in SUPPORT_TYPES]
        circle = self.pick(self.circles)
        rhythm = self.pick(self.rhythms)
        rhythm_days = randint(3, 60) if rhythm == "custom" else None
        every = (
            rhythm_days if rhythm == "custom" else rhythm_by_circle[circle] if rhythm == "circle" else None
        )
        interval = DAY * (every or 21)
        name = f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_INITIALS)}."
        relationship = self.random.choice(RELATIONSHIPS[main_type])

        last = None
        created = -DAY * randint(1, 400)
        count = self.sizes.checkins_per_supporter
        if count:
            at = -interval * (0.05 + 1.25 * rand())
            last = at
            for _ in range(count):
                mood = self.pick(self.moods)
                note = self.check_in_notes[randint(0, len(self.check_in_notes) - 1)] if rand() < 0.3 else ""
                happened = self.moment(at)
                checkins.write(
                    f"{user_id}\t{supporter_id}\t{happened}\t{self.pick(self.channels)}\t"
                    f"{'me' if rand() < 0.6 else 'them'}\t{mood or chr(92) + 'N'}\t{note}\t"
                    f"{self.moment(at + 600)}{self.checkins.suffix}"
                )
                at -= interval * (0.5 + rand())
            created = at - DAY * randint(1, 30)
        snoozed = DAY * (1 + 3 * rand()) if rand() < 0.03 else None
        archived = rand() < 0.03
        base = last if last is not None else created
        next_due = self.due_at(base, every, zone, snoozed) if every and not archived else "\\N"
        row = [
            str(supporter_id),
            str(user_id),
            copy_text(name),
            copy_text(relationship),
            *gives,
            circle,
            self.pick(self.feelings),
            f"{name.split()[0].lower()}{supporter_id}@example.org" if rand() < 0.6 else "",
            f"07700 9{supporter_id % 100000:05d}" if rand() < 0.5 else "",
            self.pick(self.channels) if rand() < 0.7 else "",
            self.random.choice(self.best_times) if rand() < 0.2 else "",
            rhythm,
            str(rhythm_days) if rhythm_days else "\\N",
            "t" if rand() < 0.1 else "f",
            self.random.choice(self.supporter_notes) if rand() < 0.3 else "",
            "t" if archived else "f",
            self.moment(last) if last is not None else "\\N",
            next_due,
            self.moment(snoozed) if snoozed is not None else "\\N",
            self.moment(created),
            self.moment(last if last is not None else created),
        ]
        supporters.write("\t".join(row) + self.supporters.suffix)


def seed(*, seed, sizes, anchor=None, progress=None):
    """Make this seed's data set exactly `sizes`. Returns (what was done, seconds)."""
    started = time.monotonic()
    anchor = anchor or default_anchor()
    if existing_counts(seed) == (sizes.users, sizes.supporters, sizes.checkins):
        return "already there", time.monotonic() - started
    generator = Generator(seed=seed, sizes=sizes, anchor=anchor)
    delete_seed(seed)
    first_user_id = allocate_ids(User, sizes.users)
    first_supporter_id = allocate_ids(Supporter, sizes.supporters)

    rows_per_user = 2 + sizes.supporters_per_user * (1 + sizes.checkins_per_supporter)
    users_per_block = max(1, min(5000, 100_000 // rows_per_user))
    writer = Writer()
    writer.start()
    try:
        for first in range(0, sizes.users, users_per_block):
            if writer.error:
                break
            count = min(users_per_block, sizes.users - first)
            writer.put(generator.block(first, count, first_user_id, first_supporter_id))
            if progress:
                progress(first + count)
    finally:
        writer.put(None)
        writer.join()
    if writer.error:
        raise writer.error
    with connection.cursor() as cursor:
        for table in ("accounts_user", "account_emailaddress", "contacts_supporter", "checkins_checkin"):
            # Also sets hint bits and the visibility map, as a settled database would have them.
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    connections.close_all()
    return "seeded", time.monotonic() - started
