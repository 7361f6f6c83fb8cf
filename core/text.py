"""Typed text cleaned of invisible control characters before it is stored.

C0 and C1 control characters (and DEL) are never meant in a name, a phone number or a note, show
as nothing or as boxes, and in a text email a line break in a name starts a new line of the email.
One-line fields turn line breaks and tabs into a space and drop the other controls; multi-line
fields keep line breaks (as \\n) and tabs and drop the rest. Nothing the person meant is lost.
"""

import re

from django import forms

LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROLS_EXCEPT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def single_line(text: str) -> str:
    """`text` on one line: line breaks and tabs become one space, other controls go, ends trimmed."""
    return CONTROLS.sub("", LINE_BREAKS.sub(" ", text)).strip()


def without_controls(text: str) -> str:
    """Multi-line `text` with its lines (ended by "\\n") and tabs kept and every other control gone."""
    return CONTROLS_EXCEPT_LINE_BREAKS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class SingleLineField(forms.CharField):
    """A one-line text field: what is stored has no control characters and no line breaks."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if value else value


class MultiLineField(forms.CharField):
    """A text area: what is stored keeps its lines and has no other control characters."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return without_controls(value) if value else value
