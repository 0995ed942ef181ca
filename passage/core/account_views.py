"""Sign in and out, the user's own account: password, API tokens, second factor."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from passage.core import actions, audit, policy
from passage.core.errors import ActionError
from passage.core.forms import TokenForm, TotpForm
from passage.core.models import ApiToken
from passage.core.security import role_requires_totp
from passage.core.utils import authed_user


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = authed_user(self.request)
        actions.record_sign_in(actor=user)
        if user.preferred_language:
            from django.conf import settings

            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language)
        return response


@require_POST
def logout(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        actions.record_sign_out(actor=authed_user(request))
    return auth_views.LogoutView.as_view()(request)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return "/"
    return target


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    password_form = PasswordChangeForm(user)
    token_form = TokenForm()
    new_secret = None
    if request.method == "POST" and "change_password" in request.POST:
        password_form = PasswordChangeForm(user, request.POST)
        if password_form.is_valid():
            try:
                actions.change_password(
                    actor=user, user=user, password=password_form.cleaned_data["new_password1"]
                )
            except ActionError as exc:
                password_form.add_error(exc.field or None, exc.message)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password was changed."))
                return redirect("core:account")
    elif request.method == "POST" and "create_token" in request.POST:
        policy.require(user, "core.use_api_tokens")
        token_form = TokenForm(request.POST)
        if token_form.is_valid():
            try:
                _token, new_secret = actions.create_api_token(
                    actor=user,
                    user=user,
                    name=token_form.cleaned_data["name"],
                    expires_at=token_form.cleaned_data["expires_at"],
                )
            except ActionError as exc:
                token_form.add_error(exc.field or None, exc.message)
            else:
                token_form = TokenForm()
    tokens = ApiToken.objects.filter(user=user)
    context = {
        "password_form": password_form,
        "token_form": token_form,
        "tokens": tokens,
        "new_secret": new_secret,
        "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "totp_required": role_requires_totp(user.role),
    }
    return render(request, "core/account.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    user = authed_user(request)
    token = policy.get_object_for(user, ApiToken, token_id, "core.use_api_tokens")
    try:
        actions.revoke_api_token(actor=user, token=token)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The token was revoked."))
    target = _next(request)
    return redirect(target if target != "/" else "core:account")


def _totp_qr(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4))


@login_required
def totp_setup(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Passage", confirmed=False)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            audit.record(actor=user, action="auth.totp_enrol", obj=user)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(_next(request))
        form.add_error(
            "token", _("That code is not right. Check your phone's clock and try again.")
        )
    return render(
        request,
        "core/totp_setup.html",
        {"form": form, "qr": _totp_qr(device), "next": _next(request)},
    )


@login_required
def totp_verify(request: HttpRequest) -> HttpResponse:
    user = authed_user(request)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                audit.record(actor=user, action="auth.totp_verify", obj=user)
                return redirect(_next(request))
        audit.record(actor=user, action="auth.totp_failure", obj=user)
        form.add_error("token", _("That code is not right."))
    return render(request, "core/totp_verify.html", {"form": form, "next": _next(request)})
