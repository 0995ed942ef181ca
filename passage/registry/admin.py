"""Admin: the numbering pattern of mission file numbers (saved through the action)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from passage.core.errors import ActionError
from passage.core.models import User
from passage.registry import actions
from passage.registry.models import NumberSequence


class NumberSequenceForm(forms.ModelForm[NumberSequence]):
    class Meta:
        model = NumberSequence
        fields = ["name", "pattern"]

    def clean_pattern(self) -> str:
        pattern = str(self.cleaned_data["pattern"])
        try:
            pattern.format(year=2026, seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValidationError(str(exc)) from exc
        return pattern


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin[NumberSequence]):
    form = NumberSequenceForm
    list_display = ("name", "pattern", "period", "last")
    readonly_fields = ("period", "last")

    def save_model(
        self, request: HttpRequest, obj: NumberSequence, form: Any, change: bool
    ) -> None:
        actor = request.user if isinstance(request.user, User) else None
        try:
            actions.set_number_pattern(actor=actor, name=obj.name, pattern=obj.pattern)
        except ActionError as exc:
            raise ValidationError(exc.message) from exc
