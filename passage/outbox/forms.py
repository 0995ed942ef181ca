from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.outbox.choices import Channel, OutboxStatus


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *OutboxStatus.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    kind = forms.CharField(label=_("Kind"), required=False, max_length=80)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
