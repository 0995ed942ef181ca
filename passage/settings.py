"""Passage settings: every value comes from the environment through passage.env.

See docs/configuration.md for the table of variables.
"""

from __future__ import annotations

import contextlib
import secrets
import sys
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from passage.env import (
    EnvError,
    database_config,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    env_timezone,
)

PACKAGE_DIR = Path(__file__).resolve().parent

try:
    MODE = env_choice("PASSAGE_MODE", ("development", "production"), "development")
    PRODUCTION = MODE == "production"
    DATA_DIR = env_path("PASSAGE_DATA_DIR", Path.cwd() / "var")
    DEBUG = env_bool("DEBUG", default=False)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
    TIME_ZONE = env_timezone("TIME_ZONE", "Asia/Bishkek")
    _secret = env_str("SECRET_KEY")
    _database_url = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'passage.sqlite3'}"
    DATABASES = {"default": database_config(_database_url)}
    EMAIL_URL = env_str("EMAIL_URL", "console://")
    DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Passage <passage@localhost>")
    SERVER_EMAIL = DEFAULT_FROM_EMAIL
    AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
    AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
    SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10, minimum=1) * 3600
    _behind_proxy = env_bool("BEHIND_TLS_PROXY", default=PRODUCTION)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
    LOG_LEVEL = env_choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
    TASKS_BACKEND = env_choice("TASKS_BACKEND", ("database", "immediate"), "database")
except EnvError as exc:
    raise ImproperlyConfigured(f"Passage configuration error: {exc}") from exc

if _secret:
    SECRET_KEY = _secret
elif PRODUCTION:
    raise ImproperlyConfigured(
        "Passage configuration error: SECRET_KEY: production mode needs SECRET_KEY "
        "or SECRET_KEY_FILE (50 or more random characters)"
    )
else:
    # Development and demo: generate one key and keep it in the data folder.
    _key_file = DATA_DIR / "secret_key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()
    else:
        SECRET_KEY = secrets.token_urlsafe(50)
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            _key_file.write_text(SECRET_KEY, encoding="utf-8")
            _key_file.chmod(0o600)
        except OSError:
            pass  # a read-only checkout still runs, with a key for this process only

if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Passage configuration error: SECRET_KEY: must be at least 50 characters in production"
    )

# Passage's own apps, one per domain, in dependency order. Their urls.py, api.py
# and demo.py are found from this list (see passage/urls.py, passage/api.py and
# the demo command), so adding an app here is the only shared edit it needs.
PASSAGE_APPS = [
    "passage.core",
    "passage.outbox",
    "passage.ledger",
    "passage.profiles",
    "passage.registry",
    "passage.health",
    "passage.orientation",
    "passage.documents",
    "passage.movements",
    "passage.loans",
    "passage.tickets",
    "passage.vac",
    "passage.stats",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    *PASSAGE_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "passage.core.middleware.RequestContextMiddleware",
    "passage.core.middleware.ApiInputGuard",
    "passage.core.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "passage.urls"
WSGI_APPLICATION = "passage.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "passage.core.context_processors.navigation",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("ky", _("Kyrgyz"))]
LANGUAGE_COOKIE_NAME = "passage_language"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    with contextlib.suppress(OSError):
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared between the web process and workers: job progress written while
    # a job holds its database transaction open, and rate-limit counters.
    "shared": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    },
}

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Lock the account, whatever address the attempts come from. Not per address:
# a mission office sits behind one address, and one person's typos must not lock
# out everyone else there. axes.W006 warns about IP rotation, which cannot unlock
# an account locked this way.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True

OTP_TOTP_ISSUER = "Passage"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if _behind_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail from one URL: smtp://user:password@host:port, smtps://..., console://.
from passage.core.mail import email_settings  # noqa: E402

try:
    globals().update(email_settings(EMAIL_URL))
except EnvError as exc:
    raise ImproperlyConfigured(f"Passage configuration error: {exc}") from exc

TESTING = "pytest" in sys.modules
if TESTING:
    # Tests run jobs in-process, keep caches in memory and never send mail out.
    TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    CACHES["shared"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shared",
    }
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_MAX_LIMIT = 500
