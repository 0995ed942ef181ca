"""Forms of the registry pages. They validate input; actions do the writing."""

from __future__ import annotations

import re
from typing import Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from passage.core.choices import OrgKind
from passage.core.models import Organisation, User
from passage.registry.choices import (
    ICAO_NATIONALITY_CODES,
    CaseStatus,
    Priority,
    Programme,
    ReferenceKind,
    Relationship,
    Service,
    Sex,
    SubmissionCategory,
    Vulnerability,
)
from passage.registry.models import Case, Person
from passage.registry.people import PersonData


def country_choices(blank: bool = True) -> list[tuple[str, str]]:
    rows = sorted((c.alpha_2, c.name) for c in pycountry.countries)
    return ([("", "—")] if blank else []) + [(code, f"{code} · {name}") for code, name in rows]


def nationality_choices() -> list[tuple[str, str]]:
    extra = [(code, f"{code} · {label}") for code, label in ICAO_NATIONALITY_CODES.items()]
    return [("", "—"), *extra, *country_choices(blank=False)]


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,;\n]", text or "") if p.strip()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *CaseStatus.choices]
    )
    programme = forms.ChoiceField(
        label=_("Programme"), required=False, choices=[("", _("Any")), *Programme.choices]
    )
    destination = forms.ChoiceField(label=_("Destination"), required=False, choices=[])
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *Priority.choices]
    )
    case_worker = forms.ModelChoiceField(
        label=_("Case worker"), required=False, queryset=User.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["case_worker"].queryset = case_workers()  # type: ignore[attr-defined]


def case_workers() -> Any:
    return User.objects.filter(
        is_active=True, organisation__kind=OrgKind.MISSION, role__in=["case_worker", "admin"]
    ).order_by("last_name", "first_name")


class CaseForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    destination_country = forms.ChoiceField(label=_("Destination country"), choices=[])
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    receiving_party = forms.ModelChoiceField(
        label=_("Receiving party"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrgKind.AGENCY, active=True),
    )
    referred_by = forms.ModelChoiceField(
        label=_("Referred by"),
        required=False,
        queryset=Organisation.objects.filter(kind=OrgKind.UNHCR, active=True),
    )
    case_worker = forms.ModelChoiceField(
        label=_("Case worker"), required=False, queryset=User.objects.none()
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_country"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["case_worker"].queryset = case_workers()  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, case: Case) -> dict[str, Any]:
        return {
            "programme": case.programme,
            "destination_country": case.destination_country,
            "priority": case.priority,
            "receiving_party": case.receiving_party_id,
            "referred_by": case.referred_by_id,
            "case_worker": case.case_worker_id,
            "notes": case.notes,
        }


class PersonForm(forms.Form):
    consent_date = forms.DateField(label=_("Consent given on"), widget=DateInput())
    consent_scope = forms.CharField(
        label=_("Consent covers"), initial=_("Resettlement processing and movement")
    )
    given_names = forms.CharField(label=_("Given names (own script)"), max_length=150)
    surname = forms.CharField(label=_("Surname (own script)"), max_length=150, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    latin_given_names = forms.CharField(
        label=_("Given names (Latin)"), max_length=150, required=False
    )
    latin_surname = forms.CharField(label=_("Surname (Latin)"), max_length=150, required=False)
    variants = forms.CharField(
        label=_("Other spellings, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    date_of_birth_estimated = forms.BooleanField(label=_("Estimated"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=[])
    languages = forms.CharField(
        label=_("Languages (ISO 639 codes)"), required=False, help_text=_("e.g. prs, ru, ky")
    )
    phones = forms.CharField(label=_("Phone numbers"), required=False)
    unhcr_individual_number = forms.CharField(
        label=_("UNHCR individual number"), max_length=40, required=False
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"),
        required=False,
        choices=Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    special_needs = forms.CharField(
        label=_("Special needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirmed_distinct = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = nationality_choices()  # type: ignore[attr-defined]

    def to_data(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
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
            unhcr_individual_number=d["unhcr_individual_number"] or None,
            vulnerabilities=list(d["vulnerabilities"]),
            special_needs=d["special_needs"],
            consent_date=d["consent_date"],
            consent_scope=d["consent_scope"],
            variants=[v.strip() for v in d["variants"].splitlines() if v.strip()],
        )

    def confirmed_ids(self) -> list[int]:
        return [
            int(x) for x in _split(self.cleaned_data.get("confirmed_distinct", "")) if x.isdigit()
        ]

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {
            "consent_date": person.consent_date,
            "consent_scope": person.consent_scope,
            "given_names": person.given_names,
            "surname": person.surname,
            "patronymic": person.patronymic,
            "latin_given_names": person.latin_given_names,
            "latin_surname": person.latin_surname,
            "sex": person.sex,
            "date_of_birth": person.date_of_birth,
            "date_of_birth_estimated": person.date_of_birth_estimated,
            "nationality": person.nationality,
            "languages": ", ".join(person.languages),
            "phones": ", ".join(person.phones),
            "unhcr_individual_number": person.unhcr_individual_number or "",
            "vulnerabilities": person.vulnerabilities,
            "special_needs": person.special_needs,
        }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=CaseStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class MemberForm(forms.Form):
    person = forms.IntegerField(label=_("Person"), widget=forms.HiddenInput)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)


class RelationshipForm(forms.Form):
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    former_principal_becomes = forms.ChoiceField(
        label=_("The former principal becomes"),
        choices=[("", "—"), *[c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL]],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class EndMemberForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReferenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReferenceKind.choices)
    value = forms.CharField(label=_("Number"), max_length=60)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SplitForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=_("Members who form the new case"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    principal = forms.ChoiceField(label=_("Principal applicant of the new case"), choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(pk), name) for pk, name in members]
        self.fields["people"].choices = choices  # type: ignore[attr-defined]
        self.fields["principal"].choices = choices  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    target = forms.CharField(label=_("File number of the case to merge into"), max_length=40)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class EmbassyRequestForm(forms.Form):
    embassy = forms.ModelChoiceField(
        label=_("Embassy"), queryset=Organisation.objects.filter(kind=OrgKind.EMBASSY, active=True)
    )
    reference = forms.CharField(label=_("Reference"), max_length=60)
    issued_on = forms.DateField(label=_("Date"), widget=DateInput())
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())
    services = forms.MultipleChoiceField(
        label=_("Services"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    cases = forms.CharField(
        label=_("Cases (file numbers)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def file_numbers(self) -> list[str]:
        return _split(self.cleaned_data["cases"].replace(" ", ","))


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("UNHCR office"), queryset=Organisation.objects.filter(kind=OrgKind.UNHCR)
    )
    reference = forms.CharField(label=_("Referral reference"), max_length=60)
    referred_on = forms.DateField(label=_("Referral date"), widget=DateInput())
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    submission_category = forms.ChoiceField(
        label=_("Submission category"), choices=SubmissionCategory.choices
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class NumberingForm(forms.Form):
    pattern = forms.CharField(
        label=_("Pattern of mission file numbers"),
        max_length=80,
        help_text=_("Python format with {year} and {seq}, e.g. KGZ-{year}-{seq:05d}."),
    )
