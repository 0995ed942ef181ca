"""Accounts a domain owns: their entries are corrected through the domain, not here.

A ticket sale's account (``tickets.sale.<id>``) must move the sale's status when one
of its entries is corrected; the ledger's own correction page cannot know that, so it
refuses and points to the domain's page. A domain registers its prefix at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from passage.ledger.models import Account


@dataclass(frozen=True)
class Owner:
    prefix: str
    page: Callable[[Account], str]  # where an entry of the account is corrected


_OWNERS: dict[str, Owner] = {}


def register(prefix: str, page: Callable[[Account], str]) -> None:
    _OWNERS[prefix] = Owner(prefix, page)


def owner_of(account: Account) -> Owner | None:
    for prefix, owner in _OWNERS.items():
        if account.code.startswith(prefix):
            return owner
    return None
