from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"})


class GenerateForm(forms.Form):
    on = forms.DateField(
        label=_("Signing date"),
        widget=DATE,
        initial=timezone.localdate,
        help_text=_("Adults are those aged 18 or over on this day."),
    )


class SignatureForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE, initial=timezone.localdate)
    witness = forms.CharField(label=_("Witness"), max_length=200, required=False)
    scan = forms.FileField(label=_("Scan of the signed note (PDF, JPEG or PNG)"), required=False)


class ScanForm(forms.Form):
    scan = forms.FileField(label=_("Scan of the signed note (PDF, JPEG or PNG)"))


class HandoverForm(forms.Form):
    servicer = forms.CharField(label=_("Servicing organisation"), max_length=200)
    on = forms.DateField(label=_("Handed over on"), widget=DATE, initial=timezone.localdate)
    reference = forms.CharField(label=_("Handover reference"), max_length=100)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
