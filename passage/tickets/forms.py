from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.ledger.choices import PaymentMethod
from passage.ledger.forms import CashCountForm, DayForm
from passage.registry.choices import Relationship, Sex
from passage.registry.forms import country_choices, nationality_choices
from passage.tickets.models import LANGUAGES
from passage.tickets.registration import MAX_TRAVELLERS, Traveller

DATE = forms.DateInput(attrs={"type": "date"})
CURRENCIES = [("USD", "USD"), ("KGS", "KGS"), ("EUR", "EUR"), ("CAD", "CAD")]

__all__ = ["CashCountForm", "DayForm"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("File number or name"), max_length=100, required=False)


class OfferForm(forms.Form):
    day = forms.DateField(label=_("Departure date"), widget=DATE)

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if not dt.date(2000, 1, 1) <= day <= dt.date(2200, 12, 31):
            raise forms.ValidationError(_("Choose a date from 2000 to 2200."))
        return day


class QuoteForm(forms.Form):
    offer = forms.CharField(max_length=100, widget=forms.HiddenInput)
    agreement = forms.IntegerField(widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Documents in"), choices=LANGUAGES, initial="ru")

    def flight_ids(self) -> list[int]:
        raw = self.cleaned_data["offer"]
        try:
            return [int(x) for x in raw.split("-") if x]
        except ValueError:
            return []


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)


class RefundForm(forms.Form):
    currency = forms.ChoiceField(label=_("Pay back in"), choices=CURRENCIES)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CreditForm(forms.Form):
    currency = forms.ChoiceField(label=_("Pay back in"), choices=CURRENCIES)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ChangeForm(forms.Form):
    offer = forms.CharField(max_length=100, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RulesForm(forms.Form):
    change_fee = forms.DecimalField(
        label=_("Change fee per passenger"), max_digits=10, decimal_places=2, min_value=0
    )
    change_until_days = forms.IntegerField(
        label=_("Changes until (days before departure)"), min_value=0, max_value=365
    )
    refund_fee = forms.DecimalField(
        label=_("Refund fee per passenger"), max_digits=10, decimal_places=2, min_value=0
    )
    refund_until_days = forms.IntegerField(
        label=_("Refunds until (days before departure)"), min_value=0, max_value=365
    )
    service_fee_refundable = forms.BooleanField(label=_("Service fee refunded"), required=False)
    source_note = forms.CharField(label=_("Source"), max_length=300, required=False)


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;\n]", text or "") if p.strip()]


class RegistrationForm(forms.Form):
    """Consent (once, for the family) and where they go; the rows are a formset."""

    consent_date = forms.DateField(label=_("Consent given on"), widget=DATE)
    consent_scope = forms.CharField(
        label=_("Consent covers"),
        max_length=300,
        initial=_("Ticket purchase and travel arrangements"),
    )
    destination_country = forms.ChoiceField(label=_("Destination country"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_country"].choices = country_choices()  # type: ignore[attr-defined]


class TravellerForm(forms.Form):
    """One traveller. Every check is the action's, so each error names its row."""

    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=[("", "—"), *Relationship.choices], required=False
    )
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=150, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    latin_given_names = forms.CharField(
        label=_("Given names (Latin)"), max_length=150, required=False
    )
    latin_surname = forms.CharField(label=_("Surname (Latin)"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    date_of_birth_estimated = forms.BooleanField(label=_("Estimated"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=[])
    languages = forms.CharField(
        label=_("Languages"), max_length=100, required=False, help_text=_("e.g. ky, ru")
    )
    phones = forms.CharField(label=_("Phone numbers"), max_length=200, required=False)
    person = forms.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = nationality_choices()  # type: ignore[attr-defined]

    def traveller(self, row: int | None = None) -> Traveller:
        d = self.cleaned_data
        return Traveller(
            row=row,
            relationship=d["relationship"],
            given_names=d["given_names"],
            surname=d["surname"],
            patronymic=d["patronymic"],
            latin_given_names=d["latin_given_names"],
            latin_surname=d["latin_surname"],
            sex=d["sex"],
            date_of_birth=d["date_of_birth"],
            date_of_birth_estimated=d["date_of_birth_estimated"],
            nationality=d["nationality"],
            languages=_split(d["languages"]),
            phones=_split(d["phones"]),
            person_id=d["person"],
        )


TravellerFormSet = forms.formset_factory(
    TravellerForm, extra=0, min_num=1, max_num=MAX_TRAVELLERS, absolute_max=MAX_TRAVELLERS
)
