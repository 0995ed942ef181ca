"""Travel documents, document types and applications for documents and visas."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.policy import PolicyQuerySet
from passage.documents.choices import ApplicationStatus, DocumentCategory


class DocumentType(models.Model):
    """A kind of document. Shipped ones carry the profiles' ``DocumentCode``; admins add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=10, choices=DocumentCategory.choices)
    per_family = models.BooleanField(
        _("one per family"), default=False, help_text=_("One document covers the whole case.")
    )
    single_journey = models.BooleanField(_("single journey"), default=False)
    machine_readable = models.BooleanField(_("has a machine-readable zone"), default=False)
    valid_for_destination = models.BooleanField(
        _("must be valid for the destination"),
        default=False,
        help_text=_("The document names the country it is valid for: the case's destination."),
    )
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["category", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name


def scan_path(instance: TravelDocument, filename: str) -> str:
    return f"documents/scans/{timezone.now():%Y/%m}/{filename}"


class TravelDocument(models.Model):
    """One document a person holds. A per-family document also names the case it covers."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="travel_documents"
    )
    case = models.ForeignKey(
        "registry.Case",
        verbose_name=_("covers case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_documents",
    )
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="documents"
    )
    number = models.CharField(_("number"), max_length=40, blank=True)
    issuing_state = models.CharField(
        _("issuing state"),
        max_length=3,
        blank=True,
        help_text=_("ISO 3166 or ICAO code: DE or D, KG or KGZ, XXA, XXB, XXC."),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    single_journey = models.BooleanField(_("single journey"), default=False)
    valid_for_country = models.CharField(
        _("valid for country"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2.")
    )
    mrz = models.TextField(_("machine-readable zone"), blank=True)
    scan = models.FileField(_("scan"), upload_to=scan_path, blank=True)
    scan_content_type = models.CharField(max_length=40, blank=True)
    scan_size = models.PositiveIntegerField(default=0)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["person", "doc_type", "-expires_on", "id"]
        verbose_name = _("travel document")
        verbose_name_plural = _("travel documents")
        indexes: ClassVar = [
            models.Index(fields=["person", "doc_type"]),
            models.Index(fields=["expires_on"]),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="documents_expiry_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.number}".strip()

    @property
    def cancelled(self) -> bool:
        return self.cancelled_on is not None


class DocumentApplication(models.Model):
    """An application for a document, visa or exit visa, followed until a decision."""

    case = models.ForeignKey(
        "registry.Case", on_delete=models.PROTECT, related_name="document_applications"
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_applications",
        help_text=_("Empty for a document that covers the whole family."),
    )
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.CharField(_("authority"), max_length=200)
    valid_for_country = models.CharField(_("for country"), max_length=2, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PREPARING,
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    expected_on = models.DateField(_("decision expected on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    document = models.ForeignKey(
        TravelDocument,
        verbose_name=_("issued document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    overdue_reminded_for = models.DateField(
        _("overdue reminder sent for"),
        null=True,
        blank=True,
        help_text=_("The expected decision date an overdue reminder was sent for."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["expected_on", "id"]
        verbose_name = _("document application")
        verbose_name_plural = _("document applications")
        indexes: ClassVar = [models.Index(fields=["status", "expected_on"])]

    def __str__(self) -> str:
        return f"{self.doc_type} · {self.authority}"

    def status_choices(self) -> list[tuple[str, str]]:
        """The statuses this application may move to, with their labels."""
        from passage.documents.choices import APPLICATION_TRANSITIONS

        moves = APPLICATION_TRANSITIONS.get(self.status, frozenset())
        return [(value, str(label)) for value, label in ApplicationStatus.choices if value in moves]


class ApplicationStatusChange(models.Model):
    application = models.ForeignKey(
        DocumentApplication, on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"
