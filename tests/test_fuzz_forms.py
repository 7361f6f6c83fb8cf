"""Every form of the site, fuzzed: hostile and random values never cause a 500, and what is stored
is shown escaped.

The forms are found, not listed: the test opens every page (signed in and signed out), reads each
<form method="post"> and its fields from the HTML, and posts values drawn by hypothesis.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import services as api_services
from contacts.models import Supporter
from privacy import services as privacy_services
from tests.factories import CheckInFactory, SupporterFactory
from wellbeing.models import PlanPerson, PlanStep, SafetyPlan

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
HOSTILE = [
    SCRIPT,
    IMAGE,
    "javascript:alert(1)",
    "'; DROP TABLE contacts_supporter; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM accounts_user;--",
    "\x00",
    "line\r\nbreak\x0b\x1f",
    "🌱🔥👩🏽‍🤝‍👩🏻",
    "٩(◕‿◕｡)۶ עברית العربية",
    "x" * 10_000,
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999",
    "3.5",
    "NaN",
    "true",
    "null",
    "[]",
    "{}",
    "2026-02-30",
    "../../etc/passwd",
    "%s%n{0}",
]
# What no one-line field stores, and what no multi-line field stores (core.text).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Markup that would run if a page printed a stored value unescaped. Our templates never contain it.
UNESCAPED = ["<script>alert(1)", "<img src=x onerror"]

# Pages whose forms we don't fuzz, and why.
SKIPPED_ACTIONS = {
    reverse("account_logout"): "signs the fuzzing client out",
}

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
value = st.one_of(st.sampled_from(HOSTILE), text, st.integers().map(str), st.floats().map(str))


class FormReader(HTMLParser):
    """The POST forms of a page: their action and the names of their fields (with options)."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {"action": attrs.get("action") or "", "fields": {}, "files": set()}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken":
                return
            if attrs.get("type") == "file":
                self.current["files"].add(name)
            options = self.current["fields"].setdefault(name, [])
            if attrs.get("value"):
                options.append(attrs["value"])
            self.select = name if tag == "select" else None
        elif (
            self.current is not None
            and tag == "option"
            and getattr(self, "select", None)
            and attrs.get("value")
        ):
            self.current["fields"][self.select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def page_urls(user):
    """Every page without parameters, and every object page with one of `user`'s objects."""
    supporter = SupporterFactory(owner=user, name="Fuzz target")
    CheckInFactory(supporter=supporter)
    plan = SafetyPlan.objects.create(owner=user)
    PlanPerson.objects.create(plan=plan, supporter=supporter, step=PlanStep.HELP)
    object_urls = [
        reverse(name, args=[supporter.pk]) for name in ("contacts:detail", "contacts:edit", "contacts:delete")
    ]
    raw = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo\r\nEND:VCARD\r\n"
    pending = privacy_services.import_start(owner=user, file_name="c.vcf", raw=raw, now=NOW)
    object_urls.append(reverse("privacy:import_preview", args=[pending.pk]))
    api_services.token_create(user=user, name="Fuzz token", scope="read", expires_in_days=7, now=NOW)

    def walk(resolver, prefix, namespaces):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(pattern, prefix, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and not pattern.pattern.regex.groupindex
                and "admin" not in namespaces
            ):
                yield reverse(":".join((*namespaces, pattern.name)))

    return sorted(set(walk(get_resolver(), "", ()))) + object_urls


def discover_forms(client, urls):
    forms = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        reader = FormReader()
        reader.feed(response.content.decode())
        for form in reader.forms:
            form["action"] = form["action"] or url
            if form["action"] in SKIPPED_ACTIONS or not form["fields"]:
                continue
            forms.setdefault((form["action"], tuple(sorted(form["fields"]))), form)
    return list(forms.values())


def fuzz_form(client, form, data):
    payload = {}
    for name, drawn in data.items():
        if name in form["files"]:
            payload[name] = SimpleUploadedFile(f"{drawn[:20]}.csv", drawn.encode("utf-8", "replace"))
        else:
            payload[name] = drawn
    response = client.post(form["action"], payload)
    assert response.status_code < 500, (form["action"], payload)
    return response


def draw_for(form):
    """Per field: a hostile value, a random one, a real option of the field, or a list of values."""
    strategies = {}
    for name, options in form["fields"].items():
        choices = [value]
        if options:
            choices.append(st.sampled_from(options))
        strategies[name] = st.one_of(*choices)
    return st.fixed_dictionaries(strategies)


def assert_pages_escape_everything(client, urls):
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            content = response.content.decode()
            for markup in UNESCAPED:
                assert markup not in content, url


FUZZ_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    database=None,
)


def fuzz(form, *, before_each, client):
    """Post `max_examples` drawn values to one form."""

    @FUZZ_SETTINGS
    @given(data=draw_for(form))
    def post(data):
        before_each()
        fuzz_form(client, form, data)

    post()


def test_every_signed_in_form_survives_hostile_values(client, user):
    client.force_login(user)
    urls = page_urls(user)
    forms = discover_forms(client, urls)
    actions = {form["action"] for form in forms}
    assert {reverse("contacts:add"), reverse("accounts:settings"), reverse("wellbeing:plan_edit")} <= actions
    assert reverse("privacy:import") in actions
    assert reverse("tokens:list") in actions
    assert reverse("privacy:delete_account") in actions
    assert any(
        action.startswith("/privacy/import/") and action != reverse("privacy:import") for action in actions
    )
    for form in forms:
        fuzz(form, before_each=lambda: client.force_login(user), client=client)
    client.force_login(user)
    urls += [
        reverse("contacts:detail", args=[pk])
        for pk in Supporter.objects.for_owner(user).values_list("pk", flat=True)
    ]
    assert_pages_escape_everything(client, urls)
    for supporter in Supporter.objects.for_owner(user):
        for field in ("name", "relationship", "phone", "email"):
            assert not CONTROL.search(getattr(supporter, field)), (field, getattr(supporter, field))
        for field in ("notes", "best_times"):
            assert not CONTROL_EXCEPT_LINES.search(getattr(supporter, field)), field


def test_every_signed_out_form_survives_hostile_values(client, user):
    forms = discover_forms(
        client, [reverse("account_login"), reverse("account_signup"), reverse("account_reset_password")]
    )
    assert len(forms) >= 3
    for form in forms:
        fuzz(form, before_each=client.logout, client=client)


@FUZZ_SETTINGS
@given(
    name=st.sampled_from(["a.vcf", "a.csv", "a.json", "a.txt", "a"]),
    content=st.one_of(
        st.binary(max_size=2000),
        text.map(lambda drawn: "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + drawn + "\r\nEND:VCARD\r\n"),
        st.lists(st.sampled_from([*HOSTILE, "name", ",", '"', "\n"]), max_size=30).map("".join),
        text.map(lambda drawn: '{"format": "supportnet-export", "supporters": [{"name": ' + drawn + "}]}"),
    ),
)
def test_the_import_survives_any_file(name, content, client, user):
    client.force_login(user)
    raw = content if isinstance(content, bytes) else content.encode("utf-8", "replace")
    response = client.post(reverse("privacy:import"), {"file": SimpleUploadedFile(name, raw)})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        for markup in UNESCAPED:
            assert markup not in preview.content.decode()


@pytest.mark.parametrize("hostile", [SCRIPT, IMAGE])
def test_a_stored_script_is_shown_as_text(client, user, hostile):
    client.force_login(user)
    response = client.post(
        reverse("contacts:add"),
        {
            "name": hostile[:100],
            "support_types": ["emotional"],
            "circle": "inner",
            "rhythm": "circle",
            "notes": hostile,
            "relationship": hostile[:100],
            "best_times": hostile,
        },
    )
    assert response.status_code == 302
    supporter = Supporter.objects.for_owner(user).get()
    for url in [
        reverse("contacts:detail", args=[supporter.pk]),
        reverse("contacts:list"),
        reverse("dashboard:home"),
    ]:
        content = client.get(url).content.decode()
        for markup in UNESCAPED:
            assert markup not in content, url
    assert "&lt;" in client.get(reverse("contacts:detail", args=[supporter.pk])).content.decode()
