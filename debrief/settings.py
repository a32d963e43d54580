"""Debrief settings: one file, configured by environment variables (see docs/configuration.md)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url

from debrief.lib.env import (
    ConfigError,
    default_data_dir,
    env_bool,
    env_choice,
    env_int,
    env_ip,
    env_list,
    env_path,
    env_str,
)
from debrief.lib.secretfile import read_or_create_secret

BASE_DIR = Path(__file__).resolve().parent.parent

# Where the SQLite database and generated secrets live. One directory per practice.
DATA_DIR = env_path("DEBRIEF_DATA_DIR", default_data_dir())
DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
# Files Debrief creates (the SQLite database and its journal, keys) are for this user only.
os.umask(0o077)

# Per-coachee data keys, wrapped by the master key; kept out of the database on purpose.
DEBRIEF_KEYS_DIR = env_path("DEBRIEF_KEYS_DIR", DATA_DIR / "keys")

DEBUG = env_bool("DEBRIEF_DEBUG", False)
SECRET_KEY = env_str("DEBRIEF_SECRET_KEY", "") or read_or_create_secret(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("DEBRIEF_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DEBRIEF_CSRF_TRUSTED_ORIGINS", [])

# Anyone may create the first account; after that, only if the operator opens sign-up.
DEBRIEF_OPEN_SIGNUP = env_bool("DEBRIEF_OPEN_SIGNUP", False)
# A firm's invitation link (docs/firm.md) works once, for this many days.
DEBRIEF_INVITATION_DAYS = env_int("DEBRIEF_INVITATION_DAYS", 7, minimum=1)
# The firm's reports break no group of fewer coachees than this down (docs/firm.md).
DEBRIEF_REPORT_MIN_GROUP = env_int("DEBRIEF_REPORT_MIN_GROUP", 5, minimum=2)
# How many coaches' search indexes each process keeps in memory, the least recently searched
# leaving first (docs/deployment.md, "Several worker processes": the figures behind the default).
DEBRIEF_SEARCH_INDEX_COACHES = env_int("DEBRIEF_SEARCH_INDEX_COACHES", 50, minimum=1)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "debrief.accounts",
    "debrief.privacy",
    "debrief.prompts",
    "debrief.coachees",
    "debrief.journal",
    "debrief.followup",
    "debrief.techniques",
    "debrief.insights",
    "debrief.audit",
    "debrief.exchange",
    "debrief.icflog",
    "debrief.portable",
    "debrief.search",
    "debrief.jobs",
    "debrief.diary",
    "debrief.reminders",
    "debrief.practice",
    "debrief.backup",
    "debrief.exports",
    "debrief.api",
    "debrief.cli",
    "debrief.firm",
    "debrief.supervision",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "debrief.web.middleware.security_headers_middleware",
    "debrief.privacy.middleware.key_missing_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "debrief.accounts.middleware.first_run_middleware",
    "debrief.accounts.middleware.idle_expiry_middleware",
    "debrief.firm.middleware.roles_middleware",
]

ROOT_URLCONF = "debrief.urls"
WSGI_APPLICATION = "debrief.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "debrief" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "debrief.accounts.adapter.signup_context",
                "debrief.firm.middleware.firm_context",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'debrief.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", "") or _default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets pages be read while an autosave writes; IMMEDIATE avoids lock upgrades.
        # synchronous=FULL: a save answered 200 is on disk, even through a power cut (NORMAL
        # may lose the last commits). Its cost per autosave: docs/architecture.md, bench.durability.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DEBRIEF_DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# allauth: coaches sign in with their email address; there is no username.
ACCOUNT_ADAPTER = "debrief.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# Changing an email address, two-factor settings or recovery codes asks for the password again
# unless it was given in the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. Other apps use
# allauth.account.decorators.reauthentication_required for the same check.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
MFA_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300

# The cache holds counters and counts only (the rate limits below, the API's wrong tokens, used
# two-factor codes, the firm report's earlier months), never a word about a coachee. It is a
# table in the database (made by `migrate`), so every server process counts against the same
# limits: with several gunicorn workers a per-process cache would make each limit as many times
# looser (docs/deployment.md, "Several worker processes").
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "debrief_cache",
    }
}

# Rate limits (allauth; counted in the cache). A limited request gets templates/429.html.
# No window is longer than 5 minutes, which is what that page tells the coach to wait.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Wrong passwords, and wrong two-factor codes (allauth counts those here, per coach).
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "signup": "20/m/ip",
    # A wrong, revoked or expired API token (debrief/api/auth.py), like a wrong password.
    "api_token_failed": "20/m/ip",
}
# Behind a reverse proxy every request comes from the proxy's address. `manage.py serve` tells
# waitress to believe X-Forwarded-For/-Proto from DEBRIEF_TRUSTED_PROXY only: waitress then puts
# the visitor's address in REMOTE_ADDR and "https" in the URL scheme, and strips those headers
# from anyone else. allauth reads REMOTE_ADDR, so it must not parse X-Forwarded-For again.
DEBRIEF_TRUSTED_PROXY = env_ip("DEBRIEF_TRUSTED_PROXY")
DEBRIEF_TRUSTED_PROXY_COUNT = env_int("DEBRIEF_TRUSTED_PROXY_COUNT", 1, minimum=1)
if "DEBRIEF_TRUSTED_PROXY_COUNT" in os.environ and not DEBRIEF_TRUSTED_PROXY:
    raise ConfigError(
        "DEBRIEF_TRUSTED_PROXY_COUNT has no effect without DEBRIEF_TRUSTED_PROXY, the address "
        "your reverse proxy connects from (see docs/deployment.md)."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = 0

# Two-factor authentication: an authenticator app (TOTP) plus single-use recovery codes.
# Security keys (WebAuthn) are not offered yet. Secrets are sealed by MFAAdapter.
MFA_ADAPTER = "debrief.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Debrief"
# Two-factor without a verified address: a laptop install has no mail to verify one with, and the
# address is not a factor (docs/security.md, "Two-factor and email addresses").
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Active sign-ins (allauth.usersessions); "last seen" is kept by idle_expiry_middleware.
USERSESSIONS_ADAPTER = "debrief.accounts.adapter.UserSessionsAdapter"
USERSESSIONS_TRACK_ACTIVITY = False

# A session ends after DEBRIEF_IDLE_HOURS without use; the next page asks to sign in and then
# returns to where the coach was. The expiry is pushed back at most every few minutes.
DEBRIEF_IDLE_HOURS = env_int("DEBRIEF_IDLE_HOURS", 8, minimum=1)
SESSION_COOKIE_AGE = DEBRIEF_IDLE_HOURS * 3600
DEBRIEF_IDLE_REFRESH_SECONDS = 300

EMAIL_BACKEND = env_str("DEBRIEF_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEBRIEF_FROM_EMAIL", "Debrief <debrief@localhost>")
# SMTP, for DEBRIEF_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (docs/reminders.md).
EMAIL_HOST = env_str("DEBRIEF_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DEBRIEF_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("DEBRIEF_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DEBRIEF_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DEBRIEF_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DEBRIEF_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DEBRIEF_EMAIL_TIMEOUT", 20, minimum=1)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigError("Set DEBRIEF_EMAIL_USE_TLS or DEBRIEF_EMAIL_USE_SSL, not both.")
# Where links in reminder emails point (the address coaches open Debrief at).
DEBRIEF_BASE_URL = env_str("DEBRIEF_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Scheduled jobs (docs/jobs.md): `manage.py serve` runs them in-process unless this is off.
DEBRIEF_SCHEDULER = env_bool("DEBRIEF_SCHEDULER", True)
# The daily `backup` job writes into this folder (docs/backup.md); off while it is empty.
DEBRIEF_BACKUP_DIR = env_str("DEBRIEF_BACKUP_DIR", "")
# The daily job deletes its own backups older than this many days from that folder.
DEBRIEF_BACKUP_KEEP_DAYS = env_int("DEBRIEF_BACKUP_KEEP_DAYS", 30, minimum=1)
# Calendar feeds: fetching a URL that resolves to a private, loopback or link-local address is
# refused unless allowed (a coach must not make the server reach its own network).
DEBRIEF_CALENDAR_ALLOW_PRIVATE = env_bool("DEBRIEF_CALENDAR_ALLOW_PRIVATE", False)
# "Move your journal" writes every other batch of sessions in a second process, on another core
# (portable/export_worker.py); off, the serving process writes the whole file alone.
DEBRIEF_EXPORT_WORKER = env_bool("DEBRIEF_EXPORT_WORKER", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("DEBRIEF_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "debrief" / "static"]
STATIC_ROOT = env_path("DEBRIEF_STATIC_ROOT", DATA_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Without collectstatic (laptop installs), WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Backends that keep mail on the server (the console backend is the development default).
_MAIL_TO_THE_SERVER = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}

# DEBRIEF_ENV=production: served over HTTPS behind a reverse proxy (see docs/deployment.md).
PRODUCTION = env_choice("DEBRIEF_ENV", "development", ("development", "production")) == "production"
if PRODUCTION:
    if DEBUG:
        raise ConfigError("DEBRIEF_DEBUG must be false when DEBRIEF_ENV=production.")
    # No SECURE_PROXY_SSL_HEADER: waitress already turned the trusted proxy's X-Forwarded-Proto
    # into the request's scheme, and strips that header from anyone else (serve.proxy_options).
    if EMAIL_BACKEND in _MAIL_TO_THE_SERVER:
        raise ConfigError(
            "In production Debrief does not write email to the log or a file: a password-reset "
            "mail holds a link that signs someone in. Set DEBRIEF_EMAIL_BACKEND to "
            "django.core.mail.backends.smtp.EmailBackend with the DEBRIEF_EMAIL_* variables, "
            "or to django.core.mail.backends.dummy.EmailBackend to send no mail at all "
            "(docs/configuration.md)."
        )
    SECURE_SSL_REDIRECT = env_bool("DEBRIEF_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a submission to browser vendors that an operator must choose to make.
    SECURE_HSTS_PRELOAD = env_bool("DEBRIEF_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Room for what a coach legitimately posts without JavaScript: a 200-prompt template in the
# editor (1,409 fields for 200 ratings; more for other kinds) and a reflection whose answers
# reach their 50,000-character limit (up to 12 bytes a character once form-encoded). Beyond it,
# templates/413.html. nginx's client_max_body_size in docs/deployment.md matches the 10 MB.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Messages wait in the session between two pages; they name coachees, so they are sealed.
MESSAGE_STORAGE = "debrief.accounts.messages.SealedSessionStorage"

# Request data and coachee text never reach the logs: errors are logged without
# the local variables or POST bodies that Django's default admin mail would include.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": sys.stderr}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "debrief": {"handlers": ["console"], "level": "INFO"},
    },
}
