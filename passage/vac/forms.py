from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.ledger.choices import PaymentMethod
from passage.vac.choices import ApplicationType, CustodyStatus, Language, Service

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class SlotChoiceForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=20, initial=1)


class BookingForm(SlotChoiceForm):
    slot = forms.IntegerField(label=_("Time"), widget=forms.HiddenInput, required=False)
    full_name = forms.CharField(label=_("Full name (as in the passport)"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    # A field people never see; bots fill it in.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class RescheduleForm(forms.Form):
    slot = forms.IntegerField(label=_("New time"))


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "placeholder": "ABC-DEF-GHJ"}
        ),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)


class TicketForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=20, initial=1)


class CallForm(forms.Form):
    desk = forms.CharField(label=_("Desk"), max_length=10)
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", _("Any service")), *Service.choices]
    )


class ApplicationForm(forms.Form):
    application_type = forms.ChoiceField(
        label=_("Application type"), choices=ApplicationType.choices
    )
    letter_reference = forms.CharField(
        label=_("Biometric instruction letter"), max_length=60, required=False
    )
    family = forms.BooleanField(label=_("A family applying together"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language for messages"), choices=Language.choices)


class ApplicantForm(forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    nationality = forms.CharField(label=_("Nationality (ISO)"), max_length=3, initial="KGZ")
    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    resettled_refugee = forms.BooleanField(label=_("Refugee resettled from abroad"), required=False)
    previous_biometrics_on = forms.DateField(
        label=_("Earlier biometrics on"), required=False, widget=DATE
    )


ApplicantFormSet = forms.formset_factory(
    ApplicantForm, extra=1, max_num=12, min_num=1, validate_min=True
)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=[("CAD", "CAD"), ("KGS", "KGS")])
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)


class ReceiveForm(forms.Form):
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)


class ScanForm(forms.Form):
    code = forms.CharField(
        label=_("Scan or type the custody code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    step = forms.ChoiceField(
        label=_("Then"),
        required=False,
        choices=[
            ("", _("Show the passport")),
            (CustodyStatus.RETURNED, _("Mark returned (sealed envelope)")),
            (CustodyStatus.READY, _("Mark ready for collection")),
        ],
    )
    envelope = forms.CharField(label=_("Sealed envelope"), max_length=60, required=False)


class StepForm(forms.Form):
    status = forms.ChoiceField(label=_("Step"), choices=CustodyStatus.choices)
    envelope = forms.CharField(label=_("Sealed envelope"), max_length=60, required=False)
    collected_by = forms.CharField(label=_("Collected by"), max_length=200, required=False)
    identity_document = forms.CharField(
        label=_("Identity document checked"), max_length=100, required=False
    )
    waybill = forms.CharField(label=_("Courier waybill"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class BatchForm(forms.Form):
    codes = forms.CharField(
        label=_("Passports (scan each; one per line)"),
        widget=forms.Textarea(attrs={"rows": 8, "autofocus": True}),
    )
    waybill = forms.CharField(label=_("Courier waybill"), max_length=60)

    def code_list(self) -> list[str]:
        return [c for c in self.cleaned_data["codes"].splitlines() if c.strip()]


class OpeningHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        coerce=int,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    opens = forms.TimeField(label=_("Opens"), widget=TIME)
    closes = forms.TimeField(label=_("Closes"), widget=TIME)
    slot_minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=5, initial=30)
    capacity = forms.IntegerField(label=_("People per slot"), min_value=1, initial=4)


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    name = forms.CharField(label=_("Name"), max_length=120)


class OpenSlotsForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    release_at = forms.DateTimeField(
        label=_("Release at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class FeeProfileForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    source_note = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 2}))
    currency = forms.CharField(label=_("Currency"), max_length=3)
    biometric_fee = forms.DecimalField(
        label=_("Biometric fee per person"), max_digits=10, decimal_places=2
    )
    family_cap = forms.DecimalField(label=_("Cap for a family"), max_digits=10, decimal_places=2)
    service_fee = forms.DecimalField(
        label=_("Centre service fee per person"), max_digits=10, decimal_places=2
    )
    min_age = forms.IntegerField(label=_("Youngest age that enrols"), min_value=0)
    max_age = forms.IntegerField(label=_("Oldest age that enrols"), min_value=0)
    reuse_years = forms.IntegerField(label=_("Years biometrics are reused"), min_value=0)
    reuse_types = forms.MultipleChoiceField(
        label=_("Types that may reuse"),
        choices=ApplicationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    refugees_exempt = forms.BooleanField(
        label=_("Refugees resettled from abroad are exempt"), required=False
    )

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
