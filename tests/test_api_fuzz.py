"""Schema-driven fuzzing of the whole API: schemathesis generates requests from /api/schema/.

For every operation, valid and invalid requests are sent as a manager of organisation A (with
organisation B's records in the database too). No answer may be a server error, and every answer
must be one the schema documents, with the documented content type and body. Bounded (a few
examples per operation) so CI stays quick; ``GOVTRACK_FUZZ_EXAMPLES`` raises it for a longer run.
"""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from govtrack.models import ApiToken
from tests.scoping_world import build_world

pytestmark = [pytest.mark.slow, pytest.mark.fuzz]

EXAMPLES = int(os.environ.get("GOVTRACK_FUZZ_EXAMPLES", "8"))


@pytest.fixture
def api_schema(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def manager_token(db, api_schema):
    world = build_world()
    _token, key = ApiToken.new(user=world.a.manager, name="Fuzzing", permission=ApiToken.Permission.READ_WRITE,
                               expires_at=None, created_by=world.a.manager)
    return key


def _fuzz(operation, mode, token) -> list[str]:
    """Run one operation's generated cases; return what failed (with the request that failed)."""
    from schemathesis.checks import not_a_server_error

    failures = []

    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        try:
            case.call_and_validate(
                headers={"Authorization": f"Token {token}"},
                checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                        response_schema_conformance],
            )
        except Exception as exc:  # every check failure is reported, with the case that caused it
            failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:600]}")

    try:
        run()
    except Unsatisfiable:
        pass  # nothing in this operation can be made invalid (no parameters, no body)
    return failures


def test_every_operation_answers_as_documented_and_never_with_a_server_error(api_schema, manager_token):
    from schemathesis import GenerationMode

    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _fuzz(operation, mode, manager_token)
    assert operations > 30
    assert not failures, "\n\n".join(failures[:20])
