"""Administrators: users, organisations' members and per-role security."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from passage.core import actions, policy, queries
from passage.core.errors import ActionError
from passage.core.forms import RoleSecurityForm, TokenForm, UserForm
from passage.core.models import ApiToken, RoleSecurity, User
from passage.core.utils import authed_user


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    policy.require(user, "core.manage_users")
    required = set(RoleSecurity.objects.filter(require_totp=True).values_list("role", flat=True))
    security_form = RoleSecurityForm(request.POST or None, required=required)
    if request.method == "POST":
        policy.require(user, "core.manage_security")
        if security_form.is_valid():
            for role, wanted in security_form.cleaned_data.items():
                if bool(wanted) != (role in required):
                    actions.set_role_security(actor=user, role=role, require_totp=bool(wanted))
            messages.success(request, _("Security settings saved."))
            return redirect("core:users")
    return render(
        request,
        "core/users.html",
        {"users": queries.users_for(user), "security_form": security_form},
    )


@login_required
def user_edit(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    admin = authed_user(request)
    policy.require(admin, "core.manage_users")
    target = policy.get_object_for(admin, User, user_id) if user_id else None
    initial = {}
    if target is not None:
        initial = {
            "username": target.username,
            "first_name": target.first_name,
            "last_name": target.last_name,
            "email": target.email,
            "organisation": target.organisation,
            "role": target.role,
            "is_active": target.is_active,
        }
    new_secret = None
    if target is not None and request.method == "POST" and "create_token" in request.POST:
        token_form = TokenForm(request.POST)
        if token_form.is_valid():
            _token, new_secret = actions.create_api_token(
                actor=admin,
                user=target,
                name=token_form.cleaned_data["name"],
                expires_at=token_form.cleaned_data["expires_at"],
            )
        form = UserForm(initial=initial, editing=True)
        return render(
            request,
            "core/user_form.html",
            {
                "form": form,
                "target": target,
                "token_form": token_form,
                "tokens": ApiToken.objects.filter(user=target),
                "new_secret": new_secret,
            },
        )
    form = UserForm(request.POST or None, initial=initial, editing=target is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if target is None:
                if not data.get("password"):
                    raise ActionError(_("A new user needs a password."), field="password")
                actions.create_user(
                    actor=admin,
                    username=data["username"],
                    password=data["password"],
                    organisation=data["organisation"],
                    role=data["role"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
            else:
                actions.update_user(
                    actor=admin,
                    user=target,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    organisation=data["organisation"],
                    role=data["role"],
                    is_active=data["is_active"],
                )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("User saved."))
            return redirect("core:users")
    tokens = ApiToken.objects.filter(user=target) if target is not None else None
    return render(
        request,
        "core/user_form.html",
        {
            "form": form,
            "target": target,
            "token_form": TokenForm(),
            "tokens": tokens,
        },
    )
