"""Schemathesis reads the live OpenAPI schema and throws generated requests, valid and invalid, at
every operation with a real token: no server errors, no response that breaks the schema.

Path ids are mapped onto the caller's own objects half the time, so the 200 paths are exercised and
not only the 404s. The number of examples per operation is bounded to keep the run short.
"""

import logging

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.services import token_create
from tests.factories import CheckInFactory, ResourceFactory, SupporterFactory

EXAMPLES_PER_OPERATION = 20
OPERATIONS = {
    "GET /api/v1/supporters",
    "POST /api/v1/supporters",
    "GET /api/v1/supporters/{supporter_id}",
    "PATCH /api/v1/supporters/{supporter_id}",
    "DELETE /api/v1/supporters/{supporter_id}",
    "POST /api/v1/supporters/{supporter_id}/archive",
    "POST /api/v1/supporters/{supporter_id}/unarchive",
    "GET /api/v1/check-ins",
    "POST /api/v1/check-ins",
    "GET /api/v1/check-ins/{check_in_id}",
    "PATCH /api/v1/check-ins/{check_in_id}",
    "DELETE /api/v1/check-ins/{check_in_id}",
    "GET /api/v1/due",
    "GET /api/v1/reminder-preferences",
    "PUT /api/v1/reminder-preferences",
    "GET /api/v1/crisis-plan",
    "GET /api/v1/directory",
}
# Valid by the schema but refused by the rules the schema cannot say (a phone number's shape, a
# custom rhythm needs its days, no check-in in the future, someone else's supporter): a 422, by design.
EXCLUDED_CHECKS = [positive_data_acceptance]


@pytest.fixture
def owned_ids(user):
    supporters = [SupporterFactory(owner=user) for _ in range(4)]
    check_ins = [CheckInFactory(supporter=supporter) for supporter in supporters for _ in range(2)]
    ResourceFactory.create_batch(3)
    return {"supporter_id": [s.pk for s in supporters], "check_in_id": [c.pk for c in check_ins]}


def test_every_operation_holds_to_its_schema_under_generated_input(
    user, owned_ids, wsgi_app, settings_override
):
    _, secret = token_create(
        user=user, name="fuzz", scope="read_write", expires_in_days=7, now=timezone.now()
    )
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    # Our token is sent on every call, so no Authorization header is generated (or mutated).
    schema.config.generation.update(with_security_parameters=False)
    map_to_owned = False

    @schema.hook
    def map_path_parameters(context, path_parameters):
        for name, value in (path_parameters or {}).items():
            if map_to_owned and name in owned_ids and isinstance(value, int) and value % 2 == 0:
                path_parameters[name] = owned_ids[name][value % len(owned_ids[name])]
        return path_parameters

    covered = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        covered.add(f"{operation.method.upper()} {operation.path}")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # Invalid input is tried on real ids only where the id itself is not what was broken.
            map_to_owned = mode == GenerationMode.POSITIVE

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case):
                case.call_and_validate(headers=headers, excluded_checks=EXCLUDED_CHECKS)

            try:
                call()
            except Unsatisfiable:
                # Nothing to make invalid: an operation without parameters or a body (GET /due).
                assert mode == GenerationMode.NEGATIVE
                assert not operation.path_parameters and not operation.query and not operation.body
    assert covered == OPERATIONS


@pytest.fixture
def wsgi_app():
    """Django's own WSGI app, in this process and this test's transaction. Like Django's test client,
    it keeps the connection open between requests (the transaction must outlive each request)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def quiet_client_errors():
    """Django logs every 4xx as a warning; thousands of them only slow the run. 5xx still log."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def settings_override(settings):
    settings.API_RATE_LIMIT_REQUESTS = 100_000
    return settings
