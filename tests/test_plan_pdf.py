"""The crisis plan PDF keeps every script people write names in, and the crisis lines of the web plan.

Read back with poppler's pdftotext (Debian's poppler-utils; see the README), as a person's PDF
reader would see the text.
"""

import datetime
import re
import shutil
import subprocess

from django.urls import reverse

from tests.factories import ResourceFactory, SupporterFactory
from wellbeing import documents, services
from wellbeing.models import PlanStep

NOW = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC)

# One name in each script; Arabic and Hebrew run right to left, Arabic and Devanagari need shaping.
NAMES = [
    "Zoë Dubois",  # Latin
    "Андрей Петров",  # Cyrillic
    "Νίκος Παπαδόπουλος",  # Greek
    "مريم حسن",  # Arabic
    "דוד לוי",  # Hebrew
    "प्रिया शर्मा",  # Devanagari
    "李明",  # Chinese
    "田中さくら",  # Japanese
    "김민준",  # Korean
]


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def without_spaces(text: str) -> str:
    # pdftotext may put a space between shaped clusters (Devanagari) and reorders nothing else.
    return re.sub(r"\s+", "", text)


def test_the_fonts_and_the_text_extractor_are_installed():
    assert documents.noto_font_files() is not None, "apt-get install fonts-noto-core fonts-noto-cjk"
    assert shutil.which("pdftotext"), "apt-get install poppler-utils"


def test_every_name_in_every_script_is_in_the_pdf_in_order(owner_client, user, tmp_path):
    people = [SupporterFactory(owner=user, name=name) for name in NAMES]
    services.plan_update(
        user=user, texts={"warning_signs": "睡不着, не сплю"}, people_by_step={PlanStep.HELP: people}
    )
    response = owner_client.get(reverse("wellbeing:plan_pdf"))
    text = without_spaces(pdf_text(response.content, tmp_path))
    # In the order the web plan lists them (by name, as the database sorts).
    (help_step,) = [
        section for section in services.plan_sections(services.plan_for(user=user)) if section.people
    ]
    in_plan_order = [person.supporter.name for person in help_step.people]
    assert sorted(in_plan_order) == sorted(NAMES)
    positions = [text.find(without_spaces(name)) for name in in_plan_order]
    assert -1 not in positions, dict(zip(in_plan_order, positions, strict=True))
    assert positions == sorted(positions)
    assert "睡不着,несплю" in text


def test_the_pdf_embeds_subsets_of_the_fonts_only(owner_client, user):
    SupporterFactory(owner=user, name="李明")
    services.plan_update(user=user, texts={}, people_by_step={PlanStep.HELP: list(user.supporters.all())})
    pdf = owner_client.get(reverse("wellbeing:plan_pdf")).content
    assert len(pdf) < 400_000, "the CJK font (16 MB) is subset, not embedded whole"
    assert b"NotoSansCJK" in pdf


def test_the_pdf_lists_the_crisis_lines_for_the_persons_country(owner_client, user, tmp_path):
    user.country = "IE"
    user.save(update_fields=["country"])
    ResourceFactory(name="Irish Line", kind="crisis_line", country="IE", phone="116 123")
    ResourceFactory(name="Faraway Line", kind="crisis_line", country="JP", phone="0120")
    ResourceFactory(name="Hidden Line", kind="crisis_line", country="IE", is_published=False)
    response = owner_client.get(reverse("wellbeing:plan_pdf"))
    text = pdf_text(response.content, tmp_path)
    assert "Irish Line: 116 123" in text
    assert "Faraway Line" not in text
    assert "Hidden Line" not in text
    assert b"(tel:116123)" in response.content, "the crisis line is a link to call"
    web = owner_client.get(reverse("wellbeing:plan")).content.decode()
    assert "Irish Line" in web
