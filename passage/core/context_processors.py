from __future__ import annotations

from django.http import HttpRequest

from passage.core import nav


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = nav.items_for(user)
    for item in items:
        item["active"] = "1" if path.startswith(item["url"]) and item["url"] != "/" else ""
    return {"nav_items": items}
