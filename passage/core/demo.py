"""Demo data of the core app: the mission, partner organisations, one user per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import OutputWrapper

from passage.core import actions
from passage.core.choices import OrgKind, Role
from passage.core.models import Organisation, User

DEMO_PASSWORD = "passage-demo-2026"


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    kind: str
    country: str = ""
    email: str = ""


ORGANISATIONS = [
    DemoOrg("mission", "IOM Mission in the Kyrgyz Republic", OrgKind.MISSION, "KG"),
    DemoOrg("us_embassy", "Embassy of the United States, Bishkek", OrgKind.EMBASSY, "US"),
    DemoOrg("ca_embassy", "Embassy of Canada (Astana), Bishkek office", OrgKind.EMBASSY, "CA"),
    DemoOrg("se_embassy", "Embassy of Sweden", OrgKind.EMBASSY, "SE"),
    DemoOrg("unhcr", "UNHCR Bishkek", OrgKind.UNHCR, "KG"),
    DemoOrg(
        "agency",
        "Refugee Resettlement Agency of Ohio",
        OrgKind.AGENCY,
        "US",
        "arrivals@ohio-resettlement.example",
    ),
    DemoOrg("airline", "Turkish Airlines, Bishkek office", OrgKind.AIRLINE, "TR"),
]

USERS = [
    ("admin", Role.ADMIN, "mission", "Aida", "Sultanova"),
    ("caseworker", Role.CASE_WORKER, "mission", "Nurlan", "Abdyrakhmanov"),
    ("doctor", Role.MEDICAL_OFFICER, "mission", "Gulnara", "Isakova"),
    ("trainer", Role.CO_TRAINER, "mission", "Bakyt", "Osmonov"),
    ("movement", Role.MOVEMENT_OFFICER, "mission", "Elena", "Kim"),
    ("finance", Role.FINANCE_OFFICER, "mission", "Aizhan", "Toktogulova"),
    ("vac", Role.VAC_OFFICER, "mission", "Marat", "Zhumabaev"),
    ("stats", Role.STATS_READER, "mission", "Dinara", "Asanova"),
    ("embassy_us", Role.PARTNER, "us_embassy", "John", "Miller"),
    ("embassy_ca", Role.PARTNER, "ca_embassy", "Claire", "Tremblay"),
    ("unhcr", Role.PARTNER, "unhcr", "Farida", "Rahimi"),
    ("agency", Role.PARTNER, "agency", "Sarah", "Collins"),
]


def organisation(key: str) -> Organisation:
    spec = next(o for o in ORGANISATIONS if o.key == key)
    return Organisation.objects.get(name=spec.name)


def load(stdout: OutputWrapper) -> list[tuple[str, str, str]]:
    """Create what is missing; return (user name, role, organisation) of the demo users."""
    for spec in ORGANISATIONS:
        if not Organisation.objects.filter(name=spec.name).exists():
            actions.create_organisation(
                actor=None, name=spec.name, kind=spec.kind, country=spec.country, email=spec.email
            )
    rows = []
    for username, role, org_key, first, last in USERS:
        org = organisation(org_key)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = actions.create_user(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                organisation=org,
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@passage.example",
                check_password=False,
            )
        elif not user.check_password(DEMO_PASSWORD):
            actions.change_password(actor=None, user=user, password=DEMO_PASSWORD)  # type: ignore[arg-type]
        rows.append((username, str(Role(role).label), org.name))
    return rows
