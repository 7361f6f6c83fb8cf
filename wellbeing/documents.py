"""The crisis plan as a plain-text file and as a PDF (fpdf2), built from `plan_sections`."""

import unicodedata
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from core.phones import tel_href
from wellbeing.services import directory_crisis_lines, plan_sections

# Noto covers the scripts people write names in; each family is subset into the PDF, so only the
# glyphs used travel. Debian ships them as fonts-noto-core and fonts-noto-cjk (see the README).
# HarfBuzz (uharfbuzz) shapes Arabic and Devanagari and orders right-to-left text.
NOTO_DIRECTORIES = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto")]
NOTO_FAMILIES = {  # family: (regular file, bold file, font number inside a .ttc collection)
    "NotoSans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", 0),
    "NotoSansArabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", 0),
    "NotoSansHebrew": ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", 0),
    "NotoSansDevanagari": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", 0),
    "NotoSansCJK": ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 2),  # 2: Simplified Chinese
}
# Without Noto: DejaVu (fonts-dejavu-core) keeps Latin, Greek and Cyrillic; without either, a
# built-in Latin-1 font keeps at least the Latin words.
UNICODE_FONT_FILES = {
    "": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "B": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}


def noto_font_files() -> dict[str, tuple[Path, Path, int]] | None:
    """Every Noto family's files, or None when any is missing."""
    found = {}
    for family, (regular, bold, number) in NOTO_FAMILIES.items():
        paths = [
            next((folder / name for folder in NOTO_DIRECTORIES if (folder / name).exists()), None)
            for name in (regular, bold)
        ]
        if None in paths:
            return None
        found[family] = (paths[0], paths[1], number)
    return found


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
        self.unicode = True
        noto = noto_font_files()
        if noto:
            for family, (regular, bold, number) in noto.items():
                self.add_font(family, "", str(regular), collection_font_number=number)
                self.add_font(family, "B", str(bold), collection_font_number=number)
            self.family = "NotoSans"
            self.set_fallback_fonts([family for family in noto if family != "NotoSans"], exact_match=False)
            # Our headings and labels (English, Spanish, Hindi) are left to right paragraphs, with Arabic and Hebrew
            # names inside them laid out right to left by the bidi algorithm.
            self.set_text_shaping(True, direction="ltr")
        elif all(path.exists() for path in UNICODE_FONT_FILES.values()):
            for style, path in UNICODE_FONT_FILES.items():
                self.add_font("PlanFont", style, str(path))
            self.family = "PlanFont"
        else:
            self.family = "Helvetica"
            self.unicode = False

    def clean(self, text):
        text = str(text)  # Headings come as lazy translations.
        if self.unicode:
            return text
        text = unicodedata.normalize("NFKC", text).translate(LATIN_1_REPLACEMENTS)
        return text.encode("latin-1", "replace").decode("latin-1")

    def write_line(self, text, *, size=10, style="", height=5, link=""):
        self.set_font(self.family, style, size)
        self.multi_cell(0, height, self.clean(text), new_x="LMARGIN", new_y="NEXT", link=link)


def plan_as_pdf(*, plan, user, now):
    crisis_lines = directory_crisis_lines(user=user)
    pdf = PlanPDF()
    pdf.set_title(_("My crisis plan"))
    pdf.set_creator("SupportNet")
    pdf.add_page()
    pdf.write_line(_("My crisis plan"), size=17, style="B", height=8)
    printed_on = timezone.localtime(now, user.zone)
    pdf.write_line(
        _("Printed %(date)s. If you are in danger, call your local emergency number now.")
        % {"date": formats.date_format(printed_on, "j F Y")},
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
        lines_here = crisis_lines if section.number == 5 else []
        for line in lines_here:  # the crisis lines for the person's country, as on the web plan
            label = f"\u2022 {line.local_name}" + (f": {line.phone}" if line.phone else "")
            pdf.write_line(label, link=tel_href(line.phone) if line.phone else "")
        if section.own_words:
            pdf.write_line(section.own_words)
        if not section.people and not section.own_words and not lines_here:
            pdf.write_line(_("(Not filled in yet.)"), size=9)
        pdf.ln(1.5)
    return bytes(pdf.output())
