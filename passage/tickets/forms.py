from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.ledger.choices import PaymentMethod
from passage.ledger.forms import CashCountForm, DayForm
from passage.tickets.models import LANGUAGES

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
