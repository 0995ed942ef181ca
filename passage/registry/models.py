"""People, cases, their references, embassy requests and UNHCR referrals."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.models import Organisation
from passage.core.policy import PolicyQuerySet
from passage.registry.choices import (
    UNIQUE_REFERENCE_KINDS,
    CaseStatus,
    LinkKind,
    Priority,
    Programme,
    ReferenceKind,
    Relationship,
    Service,
    Sex,
    SubmissionCategory,
)


class Person(models.Model):
    """One person, with the name in its own script and as travel documents spell it."""

    given_names = models.CharField(_("given names"), max_length=150)
    surname = models.CharField(_("surname"), max_length=150, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    latin_given_names = models.CharField(_("given names (Latin)"), max_length=150, blank=True)
    latin_surname = models.CharField(_("surname (Latin)"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(_("date of birth estimated"), default=False)
    nationality = models.CharField(
        _("nationality"),
        max_length=3,
        blank=True,
        help_text=_("ISO 3166 alpha-2, or XXA (stateless), XXB or XXC (refugee)."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    unhcr_individual_number = models.CharField(
        _("UNHCR individual number"), max_length=40, null=True, blank=True, unique=True
    )
    vulnerabilities = models.JSONField(_("vulnerabilities"), default=list, blank=True)
    special_needs = models.TextField(_("special needs"), blank=True)
    consent_date = models.DateField(_("consent to data processing given on"))
    consent_scope = models.CharField(_("consent scope"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["latin_surname", "latin_given_names", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes: ClassVar = [models.Index(fields=["date_of_birth"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def native_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_names, self.patronymic) if p)

    @property
    def latin_name(self) -> str:
        return " ".join(p for p in (self.latin_surname, self.latin_given_names) if p)

    @property
    def display_name(self) -> str:
        latin, native = self.latin_name, self.native_name
        if latin and native and latin != native:
            return f"{latin} ({native})"
        return latin or native


class PersonName(models.Model):
    """One spelling of a person's name: its own script, the Latin one, or a known variant."""

    class Kind(models.TextChoices):
        NATIVE = "native", _("Own script")
        LATIN = "latin", _("Latin (travel document)")
        VARIANT = "variant", _("Other spelling")

    # Like the search keys, spellings are written by people.reindex and the import
    # only, in bulk: no database constraint to check per row (Django still deletes
    # them with their person). The unique (person, text) index serves lookups by
    # person, so the foreign key needs no index of its own.
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="names",
        db_constraint=False,
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("name"), max_length=450)
    folded = models.CharField(max_length=450, editable=False)

    class Meta:
        verbose_name = _("name spelling")
        verbose_name_plural = _("name spellings")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "text"], name="registry_name_once")
        ]

    def __str__(self) -> str:
        return self.text


class NameKey(models.Model):
    """An indexed search key: the consonant skeleton of one name token (or two joined)."""

    # The primary key is the lookup index itself, (key, person): one index to keep
    # up per key row, which is what makes a large import fast.
    pk = models.CompositePrimaryKey("key", "person")
    # A derived index, written in bulk: no database constraint to check per row (Django
    # still deletes the keys with their person).
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    key = models.CharField(max_length=60)
    joined = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.key


class DistinctPerson(models.Model):
    """Two people a user confirmed are different, though the duplicate check flagged them."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["first", "second"], name="registry_distinct_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="registry_distinct_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class NumberSequence(models.Model):
    """A numbering pattern and its counter, e.g. ``KGZ-{year}-{seq:05d}`` for file numbers.

    The counter restarts each year when the pattern contains ``{year}``. Rows are
    locked with ``select_for_update`` while a number is taken.
    """

    name = models.CharField(_("name"), max_length=40, unique=True)
    pattern = models.CharField(
        _("pattern"),
        max_length=80,
        default="KGZ-{year}-{seq:05d}",
        help_text=_("Python format with {year} and {seq}, e.g. KGZ-{year}-{seq:05d}."),
    )
    period = models.PositiveIntegerField(default=0)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("numbering pattern")
        verbose_name_plural = _("numbering patterns")

    def __str__(self) -> str:
        return f"{self.name}: {self.pattern}"


class Case(models.Model):
    """The family that is processed and travels together."""

    file_number = models.CharField(_("mission file number"), max_length=40, unique=True)
    programme = models.CharField(_("programme"), max_length=30, choices=Programme.choices)
    destination_country = models.CharField(_("destination country"), max_length=2)
    receiving_party = models.ForeignKey(
        Organisation,
        verbose_name=_("receiving party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_cases",
    )
    referred_by = models.ForeignKey(
        Organisation,
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_cases",
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=30, choices=CaseStatus.choices, default=CaseStatus.OPENED
    )
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes: ClassVar = [
            models.Index(fields=["status"]),
            models.Index(fields=["destination_country"]),
            models.Index(fields=["programme"]),
        ]

    def __str__(self) -> str:
        return self.file_number


class Membership(models.Model):
    """A person in a case. Ended memberships stay as history (split, merge, removal)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(
        _("relationship to the principal applicant"),
        max_length=20,
        choices=Relationship.choices,
    )
    joined_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["case", "joined_at", "id"]
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        indexes: ClassVar = [
            # The current members of many cases in their order (the readiness board reads
            # 70,000 at once: no sort, no look-up of ended memberships).
            models.Index(
                fields=["case", "joined_at", "id"],
                condition=Q(ended_at__isnull=True),
                name="registry_current_members",
            ),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="registry_one_open_case_per_person",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True, relationship=Relationship.PRINCIPAL),
                name="registry_one_principal_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.person_id} ({self.relationship})"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class CaseReference(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="references")
    kind = models.CharField(_("kind"), max_length=20, choices=ReferenceKind.choices)
    value = models.CharField(_("number"), max_length=60)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["kind", "value"]
        verbose_name = _("case reference")
        verbose_name_plural = _("case references")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                condition=Q(kind__in=sorted(UNIQUE_REFERENCE_KINDS)),
                name="registry_reference_unique",
            )
        ]
        indexes: ClassVar = [models.Index(fields=["value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class CaseStatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=30, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class CaseLink(models.Model):
    """A split (source → new case) or a merge (source absorbed into target)."""

    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    source = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    people = models.JSONField(default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.source_id} → {self.target_id}"


class EmbassyRequest(models.Model):
    """An embassy's authorisation for the mission's services to some cases."""

    embassy = models.ForeignKey(
        Organisation,
        verbose_name=_("embassy"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    reference = models.CharField(_("reference"), max_length=60)
    issued_on = models.DateField(_("date"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    medical = models.BooleanField(Service.MEDICAL.label, default=False)
    co = models.BooleanField(Service.CO.label, default=False)
    movement = models.BooleanField(Service.MOVEMENT.label, default=False)
    cases = models.ManyToManyField(Case, related_name="embassy_requests", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-issued_on", "-id"]
        verbose_name = _("embassy request")
        verbose_name_plural = _("embassy requests")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["embassy", "reference"], name="registry_request_ref"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="registry_request_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.embassy} {self.reference}"

    @property
    def services(self) -> list[str]:
        return [s for s in Service.values if getattr(self, s)]

    def service_labels(self) -> list[str]:
        return [str(Service(s).label) for s in self.services]

    def covers(self, service: str, on_date: Any) -> bool:
        return bool(getattr(self, service)) and self.valid_from <= on_date <= self.valid_until


class Referral(models.Model):
    """A UNHCR resettlement referral (the RRF) for a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("referring organisation"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    reference = models.CharField(_("referral reference"), max_length=60, unique=True)
    referred_on = models.DateField(_("referral date"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    submission_category = models.CharField(
        _("submission category"), max_length=5, choices=SubmissionCategory.choices
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-referred_on", "-id"]
        verbose_name = _("UNHCR referral")
        verbose_name_plural = _("UNHCR referrals")

    def __str__(self) -> str:
        return self.reference
