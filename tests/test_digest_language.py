"""A digest goes out in its recipient's language, even from the worker, with the language's plurals.

Written against the Hindi catalog's own words (locale/hi/LC_MESSAGES/django.po), so it follows the
translators: it passes once they have translated the digest's messages.
"""

import datetime
from pathlib import Path

import polib
import pytest
from django.utils import timezone

from checkins.services.check_ins import check_in_log
from checkins.tasks import sweep_reminders
from tests.checkins_helpers import make_person, make_supporter

pytestmark = [pytest.mark.django_db(transaction=True)]

HINDI = polib.pofile(
    str(Path(__file__).resolve().parent.parent / "locale" / "hi" / "LC_MESSAGES" / "django.po")
)


def hindi(msgid, n=None, **values):
    """The catalog's Hindi for this message; for a plural, the form Hindi uses for `n` (plural=n != 1)."""
    entry = HINDI.find(msgid)
    assert entry is not None, f"{msgid!r} is not in the Hindi catalog"
    text = entry.msgstr if n is None else entry.msgstr_plural.get(0 if n == 1 else 1, "")
    assert text, f"{msgid!r} is not translated into Hindi yet"
    return text % values


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.worker
def test_the_worker_writes_a_hindi_speakers_digest_in_hindi_with_the_right_plurals(
    celery_worker_process, inbox
):
    now = timezone.now()
    person = make_person(reminder_hour=0, language="hi", timezone="Asia/Kolkata")
    yesterday = make_supporter(person, added_at=now - datetime.timedelta(days=20), name="Asha", rhythm_days=1)
    days_ago = make_supporter(person, added_at=now - datetime.timedelta(days=20), name="Ravi", rhythm_days=3)
    for supporter, days in [(yesterday, 1), (days_ago, 5)]:
        check_in_log(
            owner=person,
            supporter=supporter,
            happened_at=now - datetime.timedelta(days=days),
            channel="call",
            initiated_by="me",
        )

    sweep_reminders.delay()
    [message] = inbox.wait_for(1)

    # Two people due: the subject's plural form, naming no one (the private default).
    # (Python's parser keeps the space before a folded, encoded subject.)
    assert str(message["Subject"]).strip() == hindi("Someone might like to hear from you", n=2, count=2)
    body = text_of(message)
    assert hindi("Hello,") in body
    assert hindi("Last connected %(days)s day ago.", n=1, days=1) in body
    assert hindi("Last connected %(days)s day ago.", n=5, days=5) in body
    assert hindi("Whatever you manage today is enough.") in body
    # Nothing of the English digest is left.
    assert "Last connected" not in body and "Hello," not in body
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="hi">' in html
    assert hindi("Last connected %(days)s day ago.", n=5, days=5) in html
