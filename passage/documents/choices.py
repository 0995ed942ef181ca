"""Codes and statuses of travel documents and their applications."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentCategory(models.TextChoices):
    TRAVEL = "travel", _("Travel document (to travel on)")
    VISA = "visa", _("Visa or entry permit")
    EXIT = "exit", _("Exit visa")
    LETTER = "letter", _("Letter or confirmation")
    OTHER = "other", _("Other")


class ApplicationStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    SUBMITTED = "submitted", _("Submitted")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


A = ApplicationStatus
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.PREPARING: frozenset({A.SUBMITTED, A.WITHDRAWN}),
    A.SUBMITTED: frozenset({A.ISSUED, A.REFUSED, A.WITHDRAWN}),
    # A refusal may be answered by a new submission (appeal or new evidence).
    A.REFUSED: frozenset({A.PREPARING}),
    A.ISSUED: frozenset(),
    A.WITHDRAWN: frozenset(),
}
OPEN_APPLICATION_STATUSES = frozenset({A.PREPARING, A.SUBMITTED})

# Scans: what may be uploaded, recognised by the file's first bytes.
SCAN_TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
SCAN_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
