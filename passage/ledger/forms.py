from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.ledger.choices import Desk, PaymentMethod

DATE = forms.DateInput(attrs={"type": "date"})


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DATE)


class DeskDayForm(DayForm):
    desk = forms.ChoiceField(label=_("Desk"), choices=Desk.choices, required=False)


class RateForm(forms.Form):
    base = forms.CharField(label=_("Currency"), max_length=3, initial="CAD")
    quote = forms.CharField(label=_("Paid in"), max_length=3, initial="KGS")
    rate = forms.DecimalField(label=_("Rate"), max_digits=18, decimal_places=6, min_value=0)
    date = forms.DateField(label=_("Date"), widget=DATE)
    source = forms.CharField(
        label=_("Source"), max_length=200, initial="National Bank of the Kyrgyz Republic"
    )


class CashCountForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), max_length=3)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    amount = forms.DecimalField(label=_("Counted"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FloatForm(forms.Form):
    """The opening float of the cashier's drawer (posted with the prefix ``float``)."""

    currency = forms.CharField(label=_("Currency"), max_length=3)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    amount = forms.DecimalField(label=_("Opening float"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
