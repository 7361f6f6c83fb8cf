"""Holes in HTML that is rendered once and kept: a template writes a mark where something read per
request goes (the CSRF token, the time now, anything private or from the directory), and every view
fills the marks in.

A mark carries a random nonce made with the kept HTML, so text a person typed can never pass for
one; marks are NUL-delimited, which HTML escaping leaves alone and which never reaches a page.
"""

import re
import secrets

from django.utils.safestring import mark_safe


class Holes:
    def __init__(self, nonce=None):
        self.nonce = nonce or secrets.token_hex(8)
        self._pattern = re.compile(f"\x00{self.nonce}:(\\w+):([\\w-]*)\x00")

    def mark(self, name, argument=""):
        return mark_safe(f"\x00{self.nonce}:{name}:{argument}\x00")  # noqa: S308 (no markup)

    def fill(self, html, fillers):
        """`html` with every mark replaced by `fillers[name](argument)` (a str; escaped already)."""
        filled = self._pattern.sub(lambda match: str(fillers[match[1]](match[2])), html)
        return mark_safe(filled)  # noqa: S308 (a rendered template, and fillers that escape)
