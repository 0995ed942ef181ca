"""E-mail settings from one URL."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from passage.env import EnvError


def email_settings(url: str, *, name: str = "EMAIL_URL") -> dict[str, object]:
    """Read ``smtp://user:password@host:port?timeout=10``, ``smtps://`` or ``console://``."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme not in {"smtp", "smtps", "smtp+tls"}:
        raise EnvError(name, f"unsupported scheme {parts.scheme!r}: use smtp, smtps or console")
    if not parts.hostname:
        raise EnvError(name, "the SMTP URL has no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise EnvError(name, "the SMTP port is not a number") from exc
    query = parse_qs(parts.query)
    try:
        timeout = int(query.get("timeout", ["10"])[0])
    except ValueError as exc:
        raise EnvError(name, "timeout must be a whole number of seconds") from exc
    default_port = {"smtp": 25, "smtps": 465, "smtp+tls": 587}[parts.scheme]
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_TIMEOUT": timeout,
    }
