"""The filter form of the statistics pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passage.profiles.choices import Programme, Stream
from passage.stats.departures import CALENDAR, FISCAL


class DepartureFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    year_kind = forms.ChoiceField(
        label=_("Years"),
        required=False,
        choices=[(CALENDAR, _("Calendar years")), (FISCAL, _("US fiscal years (from 1 October)"))],
    )
    destination = forms.CharField(label=_("Destination (ISO code)"), required=False, max_length=2)
    programme = forms.ChoiceField(
        label=_("Programme"),
        required=False,
        choices=[("", _("All programmes")), *Programme.choices],
    )
    stream = forms.ChoiceField(
        label=_("Stream"), required=False, choices=[("", _("All streams")), *Stream.choices]
    )

    field_order = ["start", "end", "year_kind", "destination", "programme", "stream"]

    def raw(self) -> dict[str, Any]:
        """The submitted values as text, for :func:`passage.stats.queries.read_params`."""
        data = self.data
        return {
            "start": data.get("start") or None,
            "end": data.get("end") or None,
            "year_kind": data.get("year_kind") or None,
            "destination": data.get("destination") or None,
            "programme": data.get("programme") or None,
            "stream": data.get("stream") or None,
        }
