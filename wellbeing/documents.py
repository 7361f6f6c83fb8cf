"""The crisis plan as a plain-text file and as a PDF (fpdf2), built from `plan_sections`."""

import unicodedata
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from fpdf import FPDF

from wellbeing.services import plan_sections
from wellbeing.templatetags.wellbeing_tags import tel_href

# A Unicode font keeps the person's own words intact (accents, scripts, curly quotes). Debian and
# Ubuntu ship it as fonts-dejavu-core; without it the PDF falls back to a built-in Latin-1 font.
UNICODE_FONT_FILES = {
    "": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "B": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}

# Typographic characters the built-in font lacks, by code point: quotes, dashes, ellipsis, bullet.
LATIN_1_REPLACEMENTS = str.maketrans(
    {0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x2013: "-", 0x2014: "-", 0x2026: "...", 0x2022: "-"}
)


def plan_as_text(*, plan, user, now):
    return render_to_string(
        "wellbeing/plan.txt",
        {"sections": plan_sections(plan), "user": user, "printed_on": timezone.localtime(now, user.zone)},
    )


class PlanPDF(FPDF):
    def __init__(self):
        super().__init__(format="A4")
        self.set_margins(16, 14, 16)
        self.set_auto_page_break(auto=True, margin=14)
        if all(path.exists() for path in UNICODE_FONT_FILES.values()):
            for style, path in UNICODE_FONT_FILES.items():
                self.add_font("PlanFont", style, str(path))
            self.family = "PlanFont"
            self.unicode = True
        else:
            self.family = "Helvetica"
            self.unicode = False

    def clean(self, text):
        if self.unicode:
            return text
        text = unicodedata.normalize("NFKC", text).translate(LATIN_1_REPLACEMENTS)
        return text.encode("latin-1", "replace").decode("latin-1")

    def write_line(self, text, *, size=10, style="", height=5, link=""):
        self.set_font(self.family, style, size)
        self.multi_cell(0, height, self.clean(text), new_x="LMARGIN", new_y="NEXT", link=link)


def plan_as_pdf(*, plan, user, now):
    pdf = PlanPDF()
    pdf.set_title("My crisis plan")
    pdf.set_creator("SupportNet")
    pdf.add_page()
    pdf.write_line("My crisis plan", size=17, style="B", height=8)
    printed_on = timezone.localtime(now, user.zone)
    pdf.write_line(
        f"Printed {printed_on:%-d %B %Y}. If you are in danger, call your local emergency number now.",
        size=9,
    )
    pdf.ln(2)
    for section in plan_sections(plan):
        heading = f"{section.number}. {section.title}" if section.number else section.title
        pdf.write_line(heading, size=12, style="B", height=6.5)
        for person in section.people:
            supporter = person.supporter
            details = ", ".join(
                part for part in [supporter.relationship, supporter.phone, supporter.email] if part
            )
            link = (
                tel_href(supporter.phone)
                if supporter.phone
                else (f"mailto:{supporter.email}" if supporter.email else "")
            )
            pdf.write_line(f"\u2022 {supporter.name}" + (f" ({details})" if details else ""), link=link)
        if section.own_words:
            pdf.write_line(section.own_words)
        if not section.people and not section.own_words:
            pdf.write_line("(Not filled in yet.)", size=9)
        pdf.ln(1.5)
    return bytes(pdf.output())
