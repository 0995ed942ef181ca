"""Forms of the documents screens. They validate input; actions do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.documents.choices import ApplicationStatus, DocumentCategory
from passage.documents.models import DocumentType
from passage.registry.choices import CaseStatus, Programme

DATE = forms.DateInput(attrs={"type": "date"})


class BoardFilterForm(forms.Form):
    destination = forms.ChoiceField(label=_("Destination"), required=False)
    programme = forms.ChoiceField(
        label=_("Programme"), required=False, choices=[("", "—"), *Programme.choices]
    )
    readiness = forms.ChoiceField(
        label=_("Readiness"),
        required=False,
        choices=[("", _("All")), ("ready", _("Ready")), ("blocked", _("Blocked"))],
    )
    status = forms.ChoiceField(
        label=_("Case status"), required=False, choices=[("", "—"), *CaseStatus.choices]
    )
    q = forms.CharField(label=_("File number"), required=False, max_length=40)
    departure = forms.DateField(label=_("Departure on"), required=False, widget=DATE)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("earliest", _("Earliest departure")),
            ("window_end", _("End of window")),
            ("blockers", _("Most blockers")),
            ("destination", _("Destination")),
            ("file", _("File number")),
            ("status", _("Case status")),
        ],
    )
    descending = forms.BooleanField(label=_("Descending"), required=False)

    def __init__(self, *args: Any, destinations: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", _("All")), *((d, d) for d in destinations)]  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Holder"), coerce=int)
    doc_type = forms.ModelChoiceField(
        label=_("Type"), queryset=DocumentType.objects.filter(active=True)
    )
    number = forms.CharField(label=_("Number"), max_length=40, required=False)
    issuing_state = forms.CharField(
        label=_("Issuing state"),
        max_length=3,
        required=False,
        help_text=_("ISO 3166 or ICAO code: DE or D, KG or KGZ, XXA, XXB, XXC."),
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DATE)
    single_journey = forms.BooleanField(label=_("Single journey"), required=False)
    valid_for_country = forms.CharField(label=_("Valid for country"), max_length=2, required=False)
    mrz = forms.CharField(
        label=_("Machine-readable zone"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mrz", "spellcheck": "false"}),
        help_text=_("Paste or type the lines at the bottom of the data page."),
    )
    scan = forms.FileField(label=_("Scan (PDF, JPEG or PNG)"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = list(people)  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ScanForm(forms.Form):
    scan = forms.FileField(label=_("Scan (PDF, JPEG or PNG)"))


class ApplicationForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("Document"), queryset=DocumentType.objects.filter(active=True)
    )
    person = forms.TypedChoiceField(label=_("For"), coerce=int, required=False, empty_value=None)
    authority = forms.CharField(label=_("Authority"), max_length=200)
    valid_for_country = forms.CharField(label=_("For country"), max_length=2, required=False)
    expected_on = forms.DateField(label=_("Decision expected on"), required=False, widget=DATE)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("The whole family")), *people]  # type: ignore[attr-defined]


class MoveApplicationForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=ApplicationStatus.choices)
    on = forms.DateField(label=_("On"), required=False, widget=DATE)
    expected_on = forms.DateField(label=_("Decision expected on"), required=False, widget=DATE)
    document = forms.IntegerField(label=_("Issued document"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MrzForm(forms.Form):
    mrz = forms.CharField(
        label=_("Machine-readable zone"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "mrz", "spellcheck": "false"}),
    )
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DocumentTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    code = forms.SlugField(label=_("Code"), max_length=40, required=False)
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices)
    per_family = forms.BooleanField(label=_("One per family"), required=False)
    single_journey = forms.BooleanField(label=_("Single journey"), required=False)
    machine_readable = forms.BooleanField(label=_("Has a machine-readable zone"), required=False)
    valid_for_destination = forms.BooleanField(
        label=_("Must be valid for the destination"), required=False
    )
