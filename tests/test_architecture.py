"""The architecture's layers hold in templates too (README, "Architecture"): a template under
templates/<app>/ loads tag libraries of its own app or of apps below it, never of an app above it.
The Python imports are checked by import-linter (`lint-imports`, [tool.importlinter] in pyproject.toml)."""

import re
from pathlib import Path

from django.conf import settings
from django.template import engines

# Higher numbers sit higher. Apps at the same height may not load each other's tags, except pages.
LAYER_OF_APP = {
    "core": 0,
    "accounts": 1,
    "contacts": 2,
    "resources": 2,
    "checkins": 3,
    "dashboard": 4,
    "wellbeing": 4,
    "privacy": 4,
    "moderation": 4,
    "sharing": 4,
    "api": 4,
    "retention": 4,
    "push": 4,
    "supportnet": 5,
}
PAGES = 4
# allauth's own template folders are the user's (accounts); base.html, emails/, snippets/, pwa/ and
# admin/ are the site's frame and may load any library.
TEMPLATE_FOLDER_OWNER = {
    "account": "accounts",
    "allauth": "accounts",
    "mfa": "accounts",
    "usersessions": "accounts",
}

LOAD_TAG = re.compile(r"{%\s*load\s+(.+?)\s*%}")


def app_of_library(name):
    """The app of ours a tag library belongs to, or None for Django's and allauth's own."""
    module = engines["django"].engine.libraries[name]
    app = module.split(".")[0]
    return app if app in LAYER_OF_APP else None


def loads_in(text):
    """The libraries named in a template's {% load %} tags (`{% load x from lib %}` names lib)."""
    for arguments in LOAD_TAG.findall(text):
        words = arguments.split()
        yield from words[words.index("from") + 1 :] if "from" in words else words


def upward_loads(templates_dir):
    breaches = []
    for path in sorted(templates_dir.rglob("*")):
        if not path.is_file():
            continue
        folder = path.relative_to(templates_dir).parts[0]
        owner = TEMPLATE_FOLDER_OWNER.get(folder, folder)
        if owner not in LAYER_OF_APP or path.parent == templates_dir:
            continue
        for library in loads_in(path.read_text(errors="replace")):
            library_app = app_of_library(library)
            if library_app is None or library_app == owner:
                continue
            above = LAYER_OF_APP[library_app] > LAYER_OF_APP[owner]
            sibling = LAYER_OF_APP[library_app] == LAYER_OF_APP[owner] != PAGES
            if above or sibling:
                breaches.append(f"{path.relative_to(templates_dir)} loads {library} ({library_app})")
    return breaches


def test_no_template_loads_the_tags_of_an_app_above_its_own():
    assert upward_loads(Path(settings.BASE_DIR) / "templates") == []


def test_it_notices_a_lower_template_loading_a_higher_apps_tags(tmp_path):
    for folder in ("contacts", "accounts", "resources", "dashboard"):
        (tmp_path / folder).mkdir()
    (tmp_path / "contacts" / "list.html").write_text("{% load static %}\n{% load tz dashboard %}")
    (tmp_path / "contacts" / "detail.html").write_text("{% load directory %}")
    (tmp_path / "accounts" / "settings.html").write_text("{% load digest_chart from dashboard %}")
    (tmp_path / "resources" / "list.html").write_text("{% load devices directory %}")
    (tmp_path / "dashboard" / "home.html").write_text("{% load dashboard wellbeing_tags directory devices %}")

    assert upward_loads(tmp_path) == [
        "accounts/settings.html loads dashboard (dashboard)",
        "contacts/detail.html loads directory (resources)",
        "contacts/list.html loads dashboard (dashboard)",
    ]
