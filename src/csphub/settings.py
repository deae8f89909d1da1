"""csphub settings: one environment-driven file.

Defaults give a working laptop install (SQLite under ./var, DEBUG on, console e-mail).
Production sets CSPHUB_ENV=production, SECRET_KEY (or SECRET_KEY_FILE) and DATABASE_URL;
see docs/operations.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read NAME from the environment, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENT = env("CSPHUB_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = Path(env("CSPHUB_DATA_DIR", str(PROJECT_DIR / "var")) or "var")

_DEV_SECRET = "csphub-development-only-secret-key-never-used-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY", None if PRODUCTION else _DEV_SECRET) or ""
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Production needs SECRET_KEY (or SECRET_KEY_FILE), 50+ characters.")

# The audit chain's key: each event's hash is an HMAC with it, so someone who can write to the
# database but does not hold the key cannot rewrite the trail unnoticed. Keep it out of the
# database and its backups. Production refuses the development key (system check audit.E001).
AUDIT_CHAIN_DEVELOPMENT_KEY = "csphub-development-only-audit-chain-key-never-used-in-production"
AUDIT_CHAIN_KEY = env("AUDIT_CHAIN_KEY", None if PRODUCTION else AUDIT_CHAIN_DEVELOPMENT_KEY) or ""
# Keys used before the last rotation (whitespace-separated), so older events still verify.
AUDIT_CHAIN_PREVIOUS_KEYS = (env("AUDIT_CHAIN_PREVIOUS_KEYS", "") or "").split()
# A verb no app declares (csphub.audit.verbs) is refused outside production; in production the
# event is recorded all the same and the error logged.
AUDIT_REFUSE_UNREGISTERED_VERBS = not PRODUCTION
# Checkpoints of the chain's head (seq, hash, time), appended outside the database.
AUDIT_CHECKPOINT_FILE = Path(
    env("AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit-checkpoints.jsonl"))
    or "var/audit-checkpoints.jsonl"
)
AUDIT_CHECKPOINT_EMAIL = [
    a.strip() for a in (env("AUDIT_CHECKPOINT_EMAIL", "") or "").split(",") if a.strip()
]

DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = [h for h in (env("ALLOWED_HOSTS", "127.0.0.1,localhost") or "").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in (env("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "csphub.core",
    "csphub.accounts",
    "csphub.audit",
    "csphub.notifications",
    "csphub.casereview",
    "csphub.people",
    "csphub.panels",
    "csphub.meetings",
    "csphub.documents",
    "csphub.crime",
    "csphub.nrm",
    "csphub.vvrap",
    "csphub.funding",
    "csphub.community",
    "csphub.search",
    "csphub.asb",
    "csphub.partnerdata",
    "csphub.sna",
    "csphub.governance",
    "csphub.reports",
    "csphub.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "csphub.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "csphub.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csphub.urls"
WSGI_APPLICATION = "csphub.wsgi.application"
ASGI_APPLICATION = "csphub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "csphub.core.context_processors.service",
            ],
            "builtins": ["csphub.core.templatetags.govuk"],
        },
    }
]

# SQLite under DATA_DIR unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'csphub.sqlite3'}") or "",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60") or 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Readers and one writer at a time without "database is locked" errors on a laptop.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation (ADR 0511): the access rule's subqueries make the planner's cost
    # estimates large, so PostgreSQL compiled short page queries, taking ~1 s to save ~0.1 s.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: five failures for one e-mail address, or from one IP address, lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
# Counted per normalised address: ADMIN@x and admin@x are one account, so one count.
AXES_USERNAME_CALLABLE = "csphub.accounts.signals.sign_in_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Lockouts are seen and cleared on the service's own (audited) page, never in the Django admin.
AXES_ENABLE_ADMIN = False

# The "Is this person known?" search: at most this many searches in each clock hour by one
# user, and from one client address (the address lockouts use). Counted in the "throttle"
# cache, files under DATA_DIR shared by every worker process on the host.
SIGNPOST_SEARCHES_PER_USER = int(env("CSPHUB_SIGNPOST_SEARCHES_PER_USER", "20") or 20)
SIGNPOST_SEARCHES_PER_ADDRESS = int(env("CSPHUB_SIGNPOST_SEARCHES_PER_ADDRESS", "60") or 60)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "throttle"),
        "TIMEOUT": 60 * 60,
    },
}

# Sessions expire after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

OTP_TOTP_ISSUER = "csphub"

# Security headers. Secure-transport settings follow PRODUCTION so that a laptop works over http.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # REMOTE_ADDR is the proxy: lockouts and the audit trail take the client's address from the
    # X-Forwarded-For entry the proxy added. Without a proxy the header could be forged: unused.
    AXES_CLIENT_IP_CALLABLE = "csphub.audit.services.client_ip_behind_proxy"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")) or "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", PRODUCTION)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "csphub <no-reply@csphub.invalid>")

# Notification e-mails (docs/adr/0016-notifications-after-commit.md): "smtp" (Django's e-mail
# backend above), "govuk_notify" (GOV.UK Notify's API) or "off".
NOTIFICATIONS_EMAIL = env("CSPHUB_NOTIFICATIONS_EMAIL", "smtp") or "smtp"
GOVUK_NOTIFY_API_KEY = env("GOVUK_NOTIFY_API_KEY", "") or ""
GOVUK_NOTIFY_TEMPLATE_ID = env("GOVUK_NOTIFY_TEMPLATE_ID", "") or ""
GOVUK_NOTIFY_BASE_URL = (
    env("GOVUK_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk") or ""
).rstrip("/")
NOTIFICATION_EMAIL_ATTEMPTS = int(env("CSPHUB_NOTIFICATION_EMAIL_ATTEMPTS", "5") or 5)

# Service identity shown in the header and documents.
SERVICE_NAME = "Community Safety Partnership hub"
# Where people reach the service: used for links in e-mails sent by scheduled jobs.
SITE_URL = (env("CSPHUB_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
# How long a new user's invitation link (set a password, enrol two-factor) works, in days.
INVITATION_VALID_DAYS = int(env("CSPHUB_INVITATION_DAYS", "7") or "7")
PARTNERSHIP_NAME = env("CSPHUB_PARTNERSHIP_NAME", "Bexley Community Safety Partnership")
# The partnership's postal address, printed on its letters (lines separated by "|").
PARTNERSHIP_ADDRESS = env(
    "CSPHUB_PARTNERSHIP_ADDRESS", "Civic Offices|2 Watling Street|Bexleyheath|DA6 7AT"
)
# A person's name on the case, person and meeting pages of those who may open the case
# (docs/adr/0015-names-for-those-who-need-them.md); false shows references only, as before.
NAMES_ON_PAGES = env_bool("CSPHUB_NAMES_ON_PAGES", True)
# The partnership's borough (name or GSS code): the crime pages' default area.
CRIME_AREA = env("CSPHUB_AREA", "Bexley") or "Bexley"
# Publishing grants in the 360Giving Data Standard (docs/funding.md): the publisher's registered
# prefix for grant identifiers, and the organisation identifier and name of the funder.
GRANTS_360_PREFIX = env("CSPHUB_GRANTS_360_PREFIX", "360G-csphub") or "360G-csphub"
GRANTS_360_FUNDER_ID = env("CSPHUB_GRANTS_360_FUNDER_ID", "GB-LAE-BEX") or "GB-LAE-BEX"
GRANTS_360_FUNDER_NAME = env("CSPHUB_GRANTS_360_FUNDER_NAME", "London Borough of Bexley") or ""
# Small-area police counts (LSOA, ward, hexagon): hidden from 1 to THRESHOLD - 1 in exports
# marked for publication, and on the partnership's own pages too when SUPPRESSED_INTERNALLY.
# Borough, BCU and London counts are shown as the police publish them (docs/crime-data.md).
CRIME_SMALL_AREA_THRESHOLD = int(env("CSPHUB_SMALL_AREA_THRESHOLD", "5") or "5")
CRIME_SMALL_AREA_SUPPRESSED_INTERNALLY = env_bool("CSPHUB_SMALL_AREA_SUPPRESSED_INTERNALLY", False)
# Real open data for the demo and the real-data tests: ../shared/data beside the project unless
# CSPHUB_SHARED_DATA names another folder. Nothing else names a data folder.
SHARED_DATA_DIR = Path(
    env("CSPHUB_SHARED_DATA", "") or PROJECT_DIR.parent / "shared" / "data"
).resolve()
# Documents attached to cases, people and agenda items (docs/documents.md): files under
# DOCUMENTS_DIR by random names, outside the web root, each scanned by clamd before it is kept.
DOCUMENTS_DIR = Path(
    env("CSPHUB_DOCUMENTS_DIR", str(DATA_DIR / "documents")) or str(DATA_DIR / "documents")
)
DOCUMENTS_MAX_BYTES = int(float(env("CSPHUB_DOCUMENTS_MAX_MB", "20") or "20") * 1024 * 1024)
DOCUMENTS_TYPES = [
    t.strip().lower().lstrip(".")
    for t in (
        env("CSPHUB_DOCUMENTS_TYPES", "pdf,docx,doc,xlsx,odt,rtf,txt,csv,msg,eml,png,jpg,jpeg")
        or ""
    ).split(",")
    if t.strip()
]
# clamd's socket: unix:///path or tcp://host:port. Debian's clamav-daemon listens on this one.
DOCUMENTS_CLAMD = env("CSPHUB_CLAMD", "unix:///var/run/clamav/clamd.ctl") or ""
DOCUMENTS_CLAMD_TIMEOUT = float(env("CSPHUB_CLAMD_TIMEOUT", "60") or "60")
# The demo password is refused by the demo command and the sign-in form under production settings.
DEMO_PASSWORD = "demo-password-2026"

# Retention (docs/governance.md): the years each kind of record is kept after the event that
# starts its clock, as the partnership's retention policy sets them, and whether the Independent
# Inquiry into Child Sexual Abuse's moratorium holds deletion of child-abuse-related records.
RETENTION_YEARS = {
    "case": int(env("CSPHUB_RETENTION_CASE_YEARS", "6") or 6),
    "child_case": int(env("CSPHUB_RETENTION_CHILD_CASE_YEARS", "25") or 25),
    "nrm_referral": int(env("CSPHUB_RETENTION_NRM_YEARS", "25") or 25),
    "case_review": int(env("CSPHUB_RETENTION_CASE_REVIEW_YEARS", "6") or 6),
    "audit_event": int(env("CSPHUB_RETENTION_AUDIT_YEARS", "7") or 7),
}
RETENTION_IICSA_MORATORIUM = env_bool("CSPHUB_IICSA_MORATORIUM", True)
# The day the partnership last reviewed the accessibility statement (YYYY-MM-DD), which the
# statement shows; empty says the partnership has not yet dated a review.
ACCESSIBILITY_REVIEWED_ON = env("CSPHUB_ACCESSIBILITY_REVIEWED_ON", "") or ""
# The DPO's anomaly reports (docs/governance.md): what counts as unusual.
ANOMALY_REVEALS_PER_DAY = int(env("CSPHUB_ANOMALY_REVEALS_PER_DAY", "10") or 10)
ANOMALY_EXPORTS_PER_DAY = int(env("CSPHUB_ANOMALY_EXPORTS_PER_DAY", "5") or 5)
ANOMALY_WORKING_HOURS = (
    int(env("CSPHUB_WORKING_HOURS_START", "7") or 7),
    int(env("CSPHUB_WORKING_HOURS_END", "19") or 19),
)

# `csphub demo` runs these loaders in order; each is idempotent. Apps append their own.
DEMO_LOADERS = [
    "csphub.accounts.demo.load",
    "csphub.panels.demo.load",
    "csphub.casereview.demo.load",
    "csphub.asb.demo.load",
    "csphub.meetings.demo.load",
    "csphub.documents.demo.load",
    "csphub.crime.demo.load",
    "csphub.nrm.demo.load",
    "csphub.vvrap.demo.load",
    "csphub.funding.demo.load",
    "csphub.vvrap.demo.link_funding",
    "csphub.community.demo.load",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # Log records carry identifiers and verbs only; personal data goes to neither logs nor audit payloads.
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes logs the typed e-mail address at WARNING: keep it out of the logs.
        "axes": {"level": "ERROR"},
        # One line per audit event (ids only) is useful to operators, noise on a laptop.
        "csphub.audit": {"level": "INFO" if PRODUCTION else "WARNING"},
    },
}
