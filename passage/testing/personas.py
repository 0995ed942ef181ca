"""Named people for tests, and a permission-matrix helper every app reuses.

Personas: an administrator, a case worker, a medical officer, an embassy user
of the United States, an embassy user of another country (Sweden), a UNHCR
user and an outsider (signed in, but with no organisation or role).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from passage.core import actions
from passage.core.choices import OrgKind, Role
from passage.core.models import User
from passage.testing.factories import OrganisationFactory, UserFactory

ANONYMOUS = "anonymous"


@dataclass
class Personas:
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None

    def client(self, name: str) -> Client:
        client = Client()
        if name != ANONYMOUS:
            client.force_login(self.users[name])
        return client

    def token(self, name: str) -> str:
        _token, secret = actions.create_api_token(
            actor=self.users[name], user=self.users[name], name="tests"
        )
        return secret

    def api_client(self, name: str) -> Client:
        """A client that authenticates like a partner system: a bearer token, no session."""
        if name == ANONYMOUS:
            return Client()
        return Client(headers={"Authorization": f"Bearer {self.token(name)}"})


def make_personas() -> Personas:
    mission = OrganisationFactory(name="IOM Test Mission", kind=OrgKind.MISSION, country="KG")
    us_embassy = OrganisationFactory(name="US Embassy", kind=OrgKind.EMBASSY, country="US")
    se_embassy = OrganisationFactory(name="Swedish Embassy", kind=OrgKind.EMBASSY, country="SE")
    unhcr = OrganisationFactory(name="UNHCR Office", kind=OrgKind.UNHCR, country="KG")
    p = Personas()
    spec = [
        ("admin", mission, Role.ADMIN),
        ("case_worker", mission, Role.CASE_WORKER),
        ("medical_officer", mission, Role.MEDICAL_OFFICER),
        ("co_trainer", mission, Role.CO_TRAINER),
        ("movement_officer", mission, Role.MOVEMENT_OFFICER),
        ("finance_officer", mission, Role.FINANCE_OFFICER),
        ("vac_officer", mission, Role.VAC_OFFICER),
        ("stats_reader", mission, Role.STATS_READER),
        ("embassy_us", us_embassy, Role.PARTNER),
        ("embassy_other", se_embassy, Role.PARTNER),
        ("unhcr", unhcr, Role.PARTNER),
    ]
    for name, org, role in spec:
        p.users[name] = UserFactory(username=name, organisation=org, role=role)
    p.users["outsider"] = UserFactory(username="outsider", organisation=None, role="")
    return p


Request = Callable[[Client], Any]


def assert_matrix(
    personas: Personas,
    request: Request,
    expected: Mapping[str, int | tuple[int, ...]],
    *,
    api: bool = False,
) -> None:
    """Call ``request`` as each persona and check the status code.

    ``expected`` maps persona names (and ``"anonymous"``) to a status code or a
    tuple of acceptable codes. With ``api=True`` each persona authenticates with
    an API token instead of a session. Every failure is reported together.
    """
    failures = []
    for name, want in expected.items():
        client = personas.api_client(name) if api else personas.client(name)
        response = request(client)
        allowed = want if isinstance(want, tuple) else (want,)
        if response.status_code not in allowed:
            failures.append(f"{name}: got {response.status_code}, expected {want}")
    assert not failures, "permission matrix:\n  " + "\n  ".join(failures)
