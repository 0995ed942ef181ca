"""Registry records in the read-only admin (changes go through the registry's pages)."""

from django.contrib import admin

from passage.core.admin import PolicyAdmin, site
from passage.registry.models import Case, EmbassyRequest, NumberSequence, Person, Referral


@admin.register(Case, site=site)
class CaseAdmin(PolicyAdmin):
    list_display = ("file_number", "programme", "destination_country", "priority", "status")
    list_filter = ("status", "programme", "destination_country", "priority")
    search_fields = ("file_number",)


@admin.register(Person, site=site)
class PersonAdmin(PolicyAdmin):
    list_display = (
        "latin_surname",
        "latin_given_names",
        "surname",
        "given_names",
        "sex",
        "date_of_birth",
        "nationality",
    )
    search_fields = ("unhcr_individual_number",)


@admin.register(EmbassyRequest, site=site)
class EmbassyRequestAdmin(PolicyAdmin):
    list_display = ("embassy", "reference", "issued_on", "valid_from", "valid_until")


@admin.register(Referral, site=site)
class ReferralAdmin(PolicyAdmin):
    list_display = ("reference", "case", "referred_on", "priority", "submission_category")


@admin.register(NumberSequence, site=site)
class NumberSequenceAdmin(PolicyAdmin):
    list_display = ("name", "pattern", "period", "last")
