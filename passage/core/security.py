"""The second-factor rule, shared by pages and the session-authenticated API."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.core.models import RoleSecurity, User


def role_requires_totp(role: str) -> bool:
    return RoleSecurity.objects.filter(role=role, require_totp=True).exists()


def has_confirmed_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def second_factor_state(request: HttpRequest) -> Literal["ok", "verify", "setup"]:
    """``ok``; ``verify`` (has a device, not verified this session); ``setup`` (required, none)."""
    user = request.user
    if not isinstance(user, User):
        return "ok"
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return "ok"
    if has_confirmed_device(user):
        return "verify"
    if role_requires_totp(user.role):
        return "setup"
    return "ok"
