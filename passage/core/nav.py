"""Navigation entries that apps register, shown by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from passage.core import policy
from passage.core.policy import AnyUser


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    permission: str
    order: int = 100


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.key] = item


def items_for(user: AnyUser) -> list[dict[str, str]]:
    result = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        if not policy.has_permission(user, item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append({"key": item.key, "label": str(item.label), "url": url})
    return result
