"""Fixed-window rate limits in the shared cache, with no third-party service.

A counter per (bucket, key, window) lives in ``caches["shared"]`` (a file cache in
production, shared by every web process). Keys are hashed: no address or e-mail
is written to disk in clear.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import caches
from django.utils.translation import gettext as _

from passage.core.errors import ActionError


class RateLimited(ActionError):
    status = 429


def hit(bucket: str, key: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt; whether it is within ``limit`` for the current window."""
    cache = caches["shared"]
    now = int(time.time())
    start = now - now % window
    digest = hashlib.sha256(f"{bucket}:{key}".encode()).hexdigest()[:40]
    name = f"rl:{bucket}:{digest}:{start}"
    cache.add(name, 0, timeout=window + 60)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 60)
        count = 1
    return count <= limit


def check(bucket: str, key: str, limit: int, window: int = 3600) -> None:
    """Refuse politely when over the limit."""
    if key and not hit(bucket, key, limit, window):
        raise RateLimited(
            _("Too many attempts from here. Nothing was saved; please try again in an hour."),
            code="rate_limited",
        )
