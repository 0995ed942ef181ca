"""Movements in the read-only admin (changes go through the movement pages and the API)."""

from django.contrib import admin

from passage.core.admin import PolicyAdmin, site
from passage.movements.models import (
    Agreement,
    Airline,
    Airport,
    Booking,
    CodeAlias,
    Flight,
    Manifest,
    SeatBlock,
)


@admin.register(Airport, site=site)
class AirportAdmin(PolicyAdmin):
    list_display = ("iata", "name", "city", "country", "tz", "min_connection_minutes")
    search_fields = ("iata", "name", "city")


@admin.register(Airline, site=site)
class AirlineAdmin(PolicyAdmin):
    list_display = ("iata", "icao", "name", "country")


@admin.register(CodeAlias, site=site)
class CodeAliasAdmin(PolicyAdmin):
    list_display = ("kind", "code", "current", "valid_from", "valid_until")


@admin.register(Agreement, site=site)
class AgreementAdmin(PolicyAdmin):
    list_display = ("reference", "airline", "valid_from", "valid_until", "service_fee", "currency")


@admin.register(Flight, site=site)
class FlightAdmin(PolicyAdmin):
    list_display = ("__str__", "departs_at", "arrives_at", "status")
    list_select_related = ("airline",)
    date_hierarchy = "departs_at"


@admin.register(SeatBlock, site=site)
class SeatBlockAdmin(PolicyAdmin):
    list_display = ("flight", "agreement", "seats", "release_at")
    list_select_related = ("flight__airline", "agreement__airline")


@admin.register(Booking, site=site)
class BookingAdmin(PolicyAdmin):
    list_display = ("case", "pnr", "status", "departure_date", "arrival_date")
    list_select_related = ("case",)
    list_filter = ("status",)


@admin.register(Manifest, site=site)
class ManifestAdmin(PolicyAdmin):
    list_display = ("flight", "version", "created_at", "reason")
    list_select_related = ("flight__airline",)
