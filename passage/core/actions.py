"""Every write of the core app: organisations, users, tokens, security settings."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passage.core import audit
from passage.core.choices import OrgKind, Role
from passage.core.errors import ActionError
from passage.core.models import ApiToken, Organisation, RoleSecurity, User, hash_token

USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "organisation_id",
    "role",
    "is_active",
    "preferred_language",
)
TOKEN_PREFIX = "psg_"


@transaction.atomic
def create_organisation(
    *, actor: User | None, name: str, kind: str, country: str = "", email: str = ""
) -> Organisation:
    if kind not in OrgKind.values:
        raise ActionError(_("Unknown organisation kind."), field="kind")
    if kind == OrgKind.EMBASSY and not country:
        raise ActionError(_("An embassy needs the country it represents."), field="country")
    if Organisation.objects.filter(name=name).exists():
        raise ActionError(_("An organisation with this name exists."), field="name")
    org = Organisation.objects.create(name=name, kind=kind, country=country.upper(), email=email)
    audit.record(actor=actor, action="organisation.create", obj=org, after=audit.snapshot(org))
    return org


def _check_role(organisation: Organisation | None, role: str) -> None:
    if role not in Role.values:
        raise ActionError(_("Unknown role."), field="role")
    if organisation is None:
        raise ActionError(_("Choose the user's organisation."), field="organisation")
    if organisation.kind == OrgKind.MISSION and role == Role.PARTNER:
        raise ActionError(_("Mission staff cannot hold the partner role."), field="role")
    if organisation.kind != OrgKind.MISSION and role != Role.PARTNER:
        raise ActionError(_("Users of a partner organisation hold the partner role."), field="role")


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    _check_role(organisation, role)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        organisation=organisation,
        role=role,
    )
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ActionError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise ActionError(_("This user name is taken."), field="username") from exc
    audit.record(
        actor=actor, action="user.create", obj=user, after=audit.snapshot(user, USER_FIELDS)
    )
    return user


@transaction.atomic
def update_user(
    *,
    actor: User,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Organisation,
    role: str,
    is_active: bool,
) -> User:
    _check_role(organisation, role)
    before = audit.snapshot(user, USER_FIELDS)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.organisation, user.role, user.is_active = organisation, role, is_active
    user.save()
    audit.record(
        actor=actor,
        action="user.update",
        obj=user,
        before=before,
        after=audit.snapshot(user, USER_FIELDS),
    )
    return user


@transaction.atomic
def change_password(*, actor: User, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ActionError(" ".join(exc.messages), field="new_password1") from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action="user.password_change", obj=user)


@transaction.atomic
def set_language(*, actor: User, language: str) -> None:
    before = actor.preferred_language
    actor.preferred_language = language
    actor.save(update_fields=["preferred_language"])
    audit.record(
        actor=actor,
        action="user.language",
        obj=actor,
        changes={"preferred_language": [before, language]} if before != language else {},
    )


@transaction.atomic
def create_api_token(
    *, actor: User, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token and return it with its secret, which is shown once and never stored."""
    if not name.strip():
        raise ActionError(_("Give the token a name."), field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ActionError(_("The expiry must be in the future."), field="expires_at")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(secret),
        expires_at=expires_at,
    )
    audit.record(
        actor=actor,
        action="api_token.create",
        obj=token,
        extra={"user": user.get_username(), "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is not None:
        raise ActionError(_("This token is already revoked."), code="already_revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        extra={"user": token.user.get_username(), "prefix": token.prefix},
    )
    return token


@transaction.atomic
def set_role_security(*, actor: User, role: str, require_totp: bool) -> RoleSecurity:
    if role not in Role.values:
        raise ActionError(_("Unknown role."), field="role")
    setting, _created = RoleSecurity.objects.get_or_create(role=role)
    before = setting.require_totp
    setting.require_totp = require_totp
    setting.save()
    audit.record(
        actor=actor,
        action="security.role_totp",
        obj=setting,
        changes={"require_totp": [before, require_totp]},
    )
    return setting


def record_sign_in(*, actor: User) -> None:
    audit.record(actor=actor, action="auth.login", obj=actor)


def record_sign_out(*, actor: User) -> None:
    audit.record(actor=actor, action="auth.logout", obj=actor)
