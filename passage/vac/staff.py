"""The guard every staff page of the centre goes through.

``/vac/`` is exempt from the second-factor middleware because the public pages
live there, so staff pages check the second factor here themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from passage.core import policy
from passage.core.errors import ActionError
from passage.core.models import User
from passage.core.security import second_factor_state

View = Callable[..., HttpResponse]


def staff_view(permission: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            state = second_factor_state(request)
            if state != "ok":
                target = "core:totp_verify" if state == "verify" else "core:totp_setup"
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(target)}?{query}")
            policy.require(request.user, permission)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def officer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def form_error(form: Any, exc: ActionError) -> None:
    """Put an action's refusal on the field it names, or on the form."""
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    form.add_error(field, exc.message)
