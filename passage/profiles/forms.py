"""Forms of the profile screens. They validate input; actions do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.profiles.choices import DocumentCode, Weekday
from passage.profiles.models import RULE_FIELDS, DestinationProfile


class ProfileVersionForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new version, prefilled from the version it replaces."""

    required_documents = forms.MultipleChoiceField(
        label=_("Required documents"),
        choices=DocumentCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    travel_document_any_of = forms.MultipleChoiceField(
        label=_("Travel document: any one of"),
        choices=DocumentCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source_url = forms.URLField(
        label=_("Source address"), required=False, max_length=500, assume_scheme="https"
    )
    arrival_refused_weekdays = forms.TypedMultipleChoiceField(
        label=_("No arrival on"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DestinationProfile
        fields = [
            "effective_from",
            "change_note",
            *RULE_FIELDS,
            "source_note",
            "source_url",
            "unverified_note",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "source_note": forms.Textarea(attrs={"rows": 3}),
            "unverified_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["effective_from"] = timezone.localdate()
            self.initial["change_note"] = ""

    def rules(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in RULE_FIELDS}

    def validate_unique(self) -> None:
        """The action checks the one-version-a-day rule and names the field."""


class HolidayForm(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=2)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class HolidayFilterForm(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=2, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200, required=False)


class SeedHolidaysForm(forms.Form):
    country = forms.CharField(label=_("Country"), max_length=2)
    first_year = forms.IntegerField(label=_("From year"), min_value=1900, max_value=2200)
    last_year = forms.IntegerField(label=_("To year"), min_value=1900, max_value=2200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and (last < first or last - first > 10):
            raise forms.ValidationError(_("Give at most ten years, the first before the last."))
        return data
