"""factory_boy factories for the core models. Apps add theirs in their own tests."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from passage.core.choices import JobStatus, OrgKind, Role
from passage.core.models import ApiToken, AuditEvent, Job, Organisation, User, hash_token

PASSWORD = "correct-horse-battery"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrgKind.MISSION
    country = "KG"


class MissionFactory(OrganisationFactory):
    name = "Test Mission"
    kind = OrgKind.MISSION


class EmbassyFactory(OrganisationFactory):
    name = factory.LazyAttribute(lambda o: f"Embassy of {o.country}")
    kind = OrgKind.EMBASSY
    country = "US"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(MissionFactory)
    role = Role.CASE_WORKER

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()


class ApiTokenFactory(DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "test token"
    prefix = "psg_test00"
    key_hash = factory.Sequence(lambda n: hash_token(f"psg_secret_{n}"))


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(UserFactory)
    actor_repr = factory.LazyAttribute(lambda e: e.actor.username)
    action = "test.event"
    object_type = "core.user"
    object_id = "1"


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    kind = "core.audit_export"
    title = "A job"
    status = JobStatus.QUEUED
    created_by = factory.SubFactory(UserFactory)


ALL_FACTORIES: list[type[DjangoModelFactory]] = [
    OrganisationFactory,
    MissionFactory,
    EmbassyFactory,
    UserFactory,
    ApiTokenFactory,
    AuditEventFactory,
    JobFactory,
]
