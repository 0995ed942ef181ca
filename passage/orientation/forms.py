"""Forms of the orientation pages. They collect input; actions decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passage.core.models import User
from passage.orientation.actions import TRAINER_ROLES
from passage.orientation.choices import LANGUAGES
from passage.orientation.completion import curricula_in_force
from passage.orientation.models import Curriculum
from passage.profiles.choices import Programme


def trainers() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, role__in=TRAINER_ROLES, organisation__kind="mission"
    ).order_by("last_name", "first_name", "username")


class CourseForm(forms.Form):
    curriculum = forms.ModelChoiceField(label=_("Curriculum"), queryset=Curriculum.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    interpreter_language = forms.ChoiceField(
        label=_("Interpretation into"), choices=[("", "—"), *LANGUAGES], required=False
    )
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    remote = forms.BooleanField(label=_("Remote"), required=False)
    capacity = forms.IntegerField(label=_("Capacity"), initial=25, min_value=1)
    childminding = forms.BooleanField(label=_("Childminding"), required=False)
    meals = forms.BooleanField(label=_("Meals"), required=False)
    transport_grant = forms.BooleanField(label=_("Transport grant"), required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [c.pk for c in curricula_in_force(timezone.localdate())]
        field = self.fields["curriculum"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Curriculum.objects.filter(pk__in=ids).order_by("country", "code")


def _trainer_label(user: User) -> str:
    return user.get_full_name() or user.username


class CourseEditForm(CourseForm):
    """The planned course's own details, and the trainers of all its sessions."""

    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers of every session"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, has_sessions: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["curriculum"]
        field = self.fields["trainers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if not has_sessions:
            del self.fields["trainers"]
            return
        field.queryset = trainers()
        field.required = True
        field.label_from_instance = _trainer_label  # type: ignore[method-assign,assignment]


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    trainers = forms.ModelMultipleChoiceField(label=_("Trainers"), queryset=User.objects.none())
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trainers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = trainers()
        field.label_from_instance = _trainer_label  # type: ignore[method-assign,assignment]

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["day"]
        starts = timezone.make_aware(dt.datetime.combine(day, self.cleaned_data["start"]))
        ends = timezone.make_aware(dt.datetime.combine(day, self.cleaned_data["end"]))
        return starts, ends


class EnrolForm(forms.Form):
    file_number = forms.CharField(label=_("Case file number"), max_length=40)


class MembersForm(forms.Form):
    """The members of one case to enrol; eligible members are ticked at first."""

    people = forms.MultipleChoiceField(
        label=_("Family members"), widget=forms.CheckboxSelectMultiple, required=True,
        error_messages={"required": _("Tick at least one family member.")},
    )  # fmt: skip

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class ScoresForm(forms.Form):
    pre_test_score = forms.IntegerField(label=_("Pre-test score"), required=False)
    post_test_score = forms.IntegerField(label=_("Post-test score"), required=False)
    trainer_notes = forms.CharField(
        label=_("Trainer's notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


class CurriculumVersionForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    change_note = forms.CharField(label=_("Reason for this version"), max_length=300)
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.CharField(label=_("Destination country"), max_length=2, required=False)
    programmes = forms.MultipleChoiceField(
        label=_("Programmes"), choices=Programme.choices, required=False
    )
    min_age = forms.IntegerField(label=_("From age"), min_value=0)
    max_age = forms.IntegerField(label=_("Up to age"), min_value=0, required=False)
    required_hours = forms.DecimalField(label=_("Required hours"), max_digits=5, decimal_places=2)
    min_hours = forms.DecimalField(
        label=_("Shortest allowed (hours)"), max_digits=5, decimal_places=2, required=False
    )
    max_hours = forms.DecimalField(
        label=_("Longest allowed (hours)"), max_digits=5, decimal_places=2, required=False
    )
    days = forms.IntegerField(label=_("Days"), min_value=1)
    languages = forms.CharField(label=_("Languages (comma-separated codes)"), required=False)
    topics = forms.CharField(
        label=_("Topics (one a line)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    materials = forms.CharField(
        label=_("Materials"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    source_note = forms.CharField(label=_("Source"), widget=forms.Textarea(attrs={"rows": 3}))
    source_url = forms.URLField(label=_("Source address"), required=False, assume_scheme="https")
    unverified_note = forms.CharField(
        label=_("Unverified rules"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    @staticmethod
    def initial_from(curriculum: Curriculum) -> dict[str, Any]:
        return {
            "name": curriculum.name, "country": curriculum.country,
            "programmes": curriculum.programmes, "min_age": curriculum.min_age,
            "max_age": curriculum.max_age, "required_hours": curriculum.required_hours,
            "min_hours": curriculum.min_hours, "max_hours": curriculum.max_hours,
            "days": curriculum.days, "languages": ", ".join(curriculum.languages),
            "topics": "\n".join(curriculum.topics), "materials": curriculum.materials,
            "source_note": curriculum.source_note, "source_url": curriculum.source_url,
            "unverified_note": curriculum.unverified_note,
            "effective_from": timezone.localdate() + dt.timedelta(days=1),
        }  # fmt: skip

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("effective_from")
        data.pop("change_note")
        data["languages"] = _list(data["languages"])
        data["topics"] = [t.strip() for t in data["topics"].splitlines() if t.strip()]
        return data
