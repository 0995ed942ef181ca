"""Forms of the movement pages; they collect input, the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.movements.choices import PassengerType
from passage.movements.models import Agreement, Airline, Flight
from passage.registry.choices import CaseStatus

BACK_CHOICES = [
    (CaseStatus.BOOKING_REQUESTED, _("Back to booking")),
    (CaseStatus.MEDICAL_SCHEDULED, _("Back to medical (a validity lapsed)")),
]


class AgreementForm(forms.ModelForm[Agreement]):
    airline_code = forms.CharField(label=_("Airline (IATA code)"), max_length=3)
    service_fee = forms.CharField(label=_("Agency service fee"), max_length=14)

    class Meta:
        model = Agreement
        fields = [
            "reference",
            "valid_from",
            "valid_until",
            "currency",
            "baggage_kg",
            "baggage_pieces",
            "infant_baggage_kg",
            "rebooking_rules",
            "refund_rules",
            "pregnancy_certificate_from_week",
            "pregnancy_last_week",
            "pregnancy_certificate_max_days",
            "medif_validity_days",
            "notes",
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }


class FareForm(forms.Form):
    origin = forms.CharField(label=_("From (IATA)"), max_length=3)
    destination = forms.CharField(label=_("To (IATA)"), max_length=3)
    passenger_type = forms.ChoiceField(label=_("Passenger type"), choices=PassengerType.choices)
    amount = forms.CharField(label=_("Fare"), max_length=14)


class FlightForm(forms.Form):
    airline = forms.ModelChoiceField(label=_("Airline"), queryset=Airline.objects.all())
    number = forms.CharField(label=_("Flight number"), max_length=5)
    origin = forms.CharField(label=_("From (IATA)"), max_length=3)
    destination = forms.CharField(label=_("To (IATA)"), max_length=3)
    departs = forms.DateTimeField(
        label=_("Departs (local time at departure)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    arrives = forms.DateTimeField(
        label=_("Arrives (local time at arrival)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    agreement = forms.ModelChoiceField(
        label=_("Seat block under agreement"), queryset=Agreement.objects.all(), required=False
    )
    seats = forms.IntegerField(label=_("Seats held"), min_value=1, required=False)
    release = forms.DateTimeField(
        label=_("Release deadline (local time at departure)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class BookingForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=Agreement.objects.none())
    flights = forms.ModelMultipleChoiceField(
        label=_("Flights, in order"),
        queryset=Flight.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.MultipleChoiceField(
        label=_("Travellers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    split_reason = forms.CharField(
        label=_("Split authorised (reason), when not all travel"), required=False, max_length=300
    )
    escort_role = forms.ChoiceField(
        label=_("Escort"),
        required=False,
        choices=[
            ("", _("No escort")),
            ("medical_escort", _("Medical escort")),
            ("operational_escort", _("Operational escort")),
        ],
    )
    escort_surname = forms.CharField(label=_("Escort's surname"), required=False, max_length=150)
    escort_given_names = forms.CharField(
        label=_("Escort's given names"), required=False, max_length=150
    )
    escort_document = forms.CharField(
        label=_("Escort's travel document"), required=False, max_length=60
    )

    def __init__(
        self, *args: Any, agreements: Any, flights: Any, people: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        self.fields["flights"].queryset = flights  # type: ignore[attr-defined]
        self.fields["people"].choices = [(str(p.pk), p.display_name) for p in people]  # type: ignore[attr-defined]
        self.fields["flights"].label_from_instance = _flight_label  # type: ignore[attr-defined]


def _flight_label(flight: Flight) -> str:
    return (
        f"{flight.designator} {flight.origin_code} {flight.departs_local:%Y-%m-%d %H:%M} → "
        f"{flight.destination_code} {flight.arrives_local:%Y-%m-%d %H:%M}"
    )


class ReferenceForm(forms.Form):
    pnr = forms.CharField(label=_("PNR"), max_length=8)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    back_to = forms.ChoiceField(label=_("Then"), choices=BACK_CHOICES)


class ArrivalForm(forms.Form):
    confirmation = forms.CharField(label=_("Arrival confirmed by"), max_length=300)


class RebookForm(forms.Form):
    flights = forms.ModelMultipleChoiceField(
        label=_("New flights, in order"),
        queryset=Flight.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, flights: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["flights"].queryset = flights  # type: ignore[attr-defined]
        self.fields["flights"].label_from_instance = _flight_label  # type: ignore[attr-defined]


class TravellerDocumentForm(forms.Form):
    document = forms.CharField(label=_("Travel document"), max_length=60)


class AgreementTermsForm(forms.ModelForm[Agreement]):
    """The terms of an existing agreement (airline and reference stay)."""

    service_fee = forms.CharField(label=_("Agency service fee"), max_length=14)

    class Meta:
        model = Agreement
        fields = [f for f in AgreementForm.Meta.fields if f != "reference"]
        widgets = AgreementForm.Meta.widgets
