"""The Spanish and Hindi catalogs are complete, and every string of ours is in them.

`make test` fails when an es or hi .po file has a message left untranslated or fuzzy, and when
`makemessages` (run on a copy of the project, as `make catalogs` runs it) would add a message that
the catalogs do not have yet. The fix for the second is `make catalogs`, then translating.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("es", "hi")
DOMAINS = ("django", "djangojs")
# As in the Makefile's `catalogs` target: what makemessages reads is our app code and templates.
NOT_OURS_TO_TRANSLATE = [
    ".venv",
    "node_modules",
    "var",
    "tests",
    "bench",
    "benchdata",
    "scripts",
    "static/vendor",
]


def catalog_path(root, language, domain):
    return root / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


def message_key(entry):
    """A message as makemessages identifies it: context, singular and plural."""
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def message_keys(catalog):
    return {message_key(entry) for entry in catalog if not entry.obsolete}


def describe(keys):
    return "\n".join(
        f"  {msgid!r}" + (f" (context {context!r})" if context else "") for context, msgid, _ in keys
    )


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language, domain):
    path = catalog_path(ROOT, language, domain)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make catalogs`."
    catalog = polib.pofile(str(path))
    untranslated = sorted(message_key(entry) for entry in catalog.untranslated_entries())
    fuzzy = sorted(message_key(entry) for entry in catalog.fuzzy_entries())
    assert not untranslated and not fuzzy, (
        f"{path.relative_to(ROOT)}: {len(untranslated)} untranslated and {len(fuzzy)} fuzzy of "
        f"{len(message_keys(catalog))} messages.\nUntranslated:\n{describe(untranslated[:30])}\n"
        f"Fuzzy (check the translation, then remove the fuzzy flag):\n{describe(fuzzy[:30])}"
    )


# gettext's rules, as in Django's own catalogs: Spanish has a third form for round millions.
PLURAL_FORMS = {
    "es": "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "hi": "nplurals=2; plural=(n != 1);",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_headers_give_the_plural_rule_and_ask_for_review(language):
    for domain in DOMAINS:
        catalog = polib.pofile(str(catalog_path(ROOT, language, domain)))
        assert catalog.metadata.get("Plural-Forms") == PLURAL_FORMS[language]
        assert catalog.metadata.get("Language") == language
        assert "NEEDS REVIEW BY A NATIVE SPEAKER BEFORE PRODUCTION" in catalog.header


@pytest.fixture(scope="module")
def extracted_copy(tmp_path_factory):
    """A copy of the project with makemessages run on it, as `make catalogs` would run it here."""
    copy = tmp_path_factory.mktemp("makemessages") / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "node_modules", "var", ".git", "__pycache__", "*.mo"),
    )
    ignore = [f"--ignore={pattern}" for pattern in NOT_OURS_TO_TRANSLATE]
    languages = [argument for language in LANGUAGES for argument in ("-l", language)]
    for domain in DOMAINS:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-d",
                domain,
                *languages,
                "--no-obsolete",
                "--add-location=file",
                *ignore,
            ],
            cwd=copy,
            check=True,
            capture_output=True,
        )
    return copy


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_makemessages_would_add_no_message(extracted_copy, language, domain):
    ours = message_keys(polib.pofile(str(catalog_path(ROOT, language, domain))))
    extracted = message_keys(polib.pofile(str(catalog_path(extracted_copy, language, domain))))
    missing = sorted(extracted - ours)
    assert not missing, (
        f"{len(missing)} marked strings are not in locale/{language}/LC_MESSAGES/{domain}.po yet: run "
        f"`make catalogs`, then translate them.\n{describe(missing[:30])}"
    )
    assert len(extracted) > 0
