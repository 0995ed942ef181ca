"""Forms of the health pages. They parse input; the actions check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.core.choices import OrgKind, Role
from passage.core.models import User
from passage.health.choices import (
    OUTCOMES,
    AssessmentStatus,
    CheckKind,
    CheckOutcome,
    ConditionClass,
    ExamType,
    LabResult,
    MedifStatus,
    SpecialService,
    TbClass,
    TbTestKind,
)
from passage.health.models import Clinic

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})


class ScheduleForm(forms.Form):
    exam_type = forms.ChoiceField(label=_("Exam type"), choices=ExamType.choices)
    clinic = forms.ModelChoiceField(label=_("Clinic"), queryset=Clinic.objects.none())
    on = forms.DateField(label=_("Appointment"), widget=DATE)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["clinic"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Clinic.objects.filter(active=True)


class ExamForm(forms.Form):
    examined_on = forms.DateField(label=_("Exam date"), widget=DATE)
    physician = forms.CharField(label=_("Physician"), max_length=150)
    forms_produced = forms.CharField(
        label=_("Forms produced"), required=False, help_text=_("Separated by commas.")
    )


class TbTestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Test"), choices=TbTestKind.choices)
    collected_on = forms.DateField(label=_("Sample or image date"), widget=DATE)
    result = forms.ChoiceField(label=_("Result"), choices=LabResult.choices)
    result_on = forms.DateField(label=_("Result date"), widget=DATE, required=False)
    finding = forms.CharField(label=_("Finding"), max_length=300, required=False)
    reason = forms.CharField(label=_("Reason (outside the age rule)"), required=False)


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[c for c in LabResult.choices if c[0] != LabResult.PENDING]
    )
    result_on = forms.DateField(label=_("Result date"), widget=DATE)
    finding = forms.CharField(label=_("Finding"), max_length=300, required=False)


class ConditionForm(forms.Form):
    condition_class = forms.ChoiceField(label=_("Class"), choices=ConditionClass.choices)
    description = forms.CharField(label=_("Condition"), max_length=300)


class WaiverForm(forms.Form):
    on = forms.DateField(label=_("Waiver granted on"), widget=DATE)
    reference = forms.CharField(label=_("Waiver reference"), max_length=100)


class TreatmentForm(forms.Form):
    regimen = forms.CharField(label=_("Treatment"), max_length=300)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    completed_on = forms.DateField(label=_("Completed on"), widget=DATE, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[c for c in AssessmentStatus.choices if c[0] in OUTCOMES]
    )
    tb_class = forms.ChoiceField(label=_("TB class"), choices=TbClass.choices, required=False)
    reason = forms.CharField(label=_("Note"), max_length=500, required=False)


class StatusForm(forms.Form):
    to = forms.ChoiceField(
        choices=[
            (AssessmentStatus.NO_SHOW, _("No-show")),
            (AssessmentStatus.CANCELLED, _("Cancel")),
        ]
    )


class VaccinationForm(forms.Form):
    antigen = forms.CharField(label=_("Vaccine (antigen)"), max_length=60)
    dose_number = forms.IntegerField(label=_("Dose"), min_value=1, max_value=10)
    given_on = forms.DateField(label=_("Date given"), widget=DATE)
    lot = forms.CharField(label=_("Lot"), max_length=60, required=False)
    live = forms.BooleanField(label=_("Live vaccine"), required=False)
    outbreak_response = forms.BooleanField(label=_("Outbreak response"), required=False)
    planned_departure = forms.DateField(label=_("Planned departure"), widget=DATE, required=False)


class PregnancyForm(forms.Form):
    expected_delivery = forms.DateField(label=_("Expected delivery date"), widget=DATE)


class CertificateForm(forms.Form):
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    issued_by = forms.CharField(label=_("Issued by (physician, clinic)"), max_length=200)
    gestation_week = forms.IntegerField(label=_("Pregnancy week stated"), min_value=1, max_value=42)
    valid_until = forms.DateField(
        label=_("Valid for travel until (if stated)"), widget=DATE, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NeedsForm(forms.Form):
    ssr_codes = forms.MultipleChoiceField(
        label=_("Special-service codes"),
        choices=SpecialService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    escort_required = forms.BooleanField(label=_("Medical escort required"), required=False)
    oxygen = forms.BooleanField(label=_("Oxygen in flight"), required=False)
    stretcher = forms.BooleanField(label=_("Stretcher"), required=False)
    medif_status = forms.ChoiceField(label=_("MEDIF"), choices=MedifStatus.choices, required=False)
    medif_date = forms.DateField(label=_("MEDIF date"), widget=DATE, required=False)
    notes = forms.CharField(
        label=_("Medical notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Check"), choices=CheckKind.choices)
    checked_at = forms.DateTimeField(label=_("Checked at"), widget=DATETIME)
    departure_at = forms.DateTimeField(label=_("Planned departure"), widget=DATETIME)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CheckOutcome.choices)
    notes = forms.CharField(label=_("Medical notes"), required=False)


class ClinicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    daily_capacity = forms.IntegerField(label=_("Exams a day"), min_value=1, max_value=500)


class RulesForm(forms.Form):
    country = forms.CharField(label=_("Destination country"), max_length=2, required=False)
    effective_from = forms.DateField(label=_("In force from"), widget=DATE)
    source_note = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    xray_min_age = forms.IntegerField(label=_("Chest X-ray from age (years)"), min_value=0)
    igra_min_age = forms.IntegerField(label=_("IGRA from age (years)"), min_value=0)
    igra_max_age = forms.IntegerField(label=_("IGRA up to age (years)"), min_value=0)
    pregnancy_certificate_from_week = forms.IntegerField(
        label=_("Fit-to-fly certificate from pregnancy week"), min_value=1, max_value=42
    )
    pregnancy_last_travel_week = forms.IntegerField(
        label=_("Last pregnancy week for travel"), min_value=1, max_value=42
    )


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Embassy medical staff"), queryset=User.objects.none())
    country = forms.CharField(label=_("Destination country"), max_length=2)
    note = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            role=Role.PARTNER, organisation__kind=OrgKind.EMBASSY, is_active=True
        ).select_related("organisation")
