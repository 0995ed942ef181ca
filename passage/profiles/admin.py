"""Profiles in the read-only admin (changes go through the profile screens)."""

from django.contrib import admin

from passage.core.admin import PolicyAdmin, site
from passage.profiles.models import DestinationProfile, Holiday


@admin.register(DestinationProfile, site=site)
class DestinationProfileAdmin(PolicyAdmin):
    list_display = ("country", "programme", "effective_from", "change_note", "created_by")
    list_filter = ("country", "programme")
    date_hierarchy = "effective_from"


@admin.register(Holiday, site=site)
class HolidayAdmin(PolicyAdmin):
    list_display = ("country", "date", "name", "source")
    list_filter = ("country",)
    date_hierarchy = "date"
