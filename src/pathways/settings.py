"""The one settings module. Everything that differs between machines comes from the environment.

PATHWAYS_ENV is ``development`` (default), ``test`` or ``production``. Development and test have safe
defaults that need nothing prepared; production refuses to start without a real secret key.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

env = environ.Env()
# pytest sets PYTEST_VERSION while it runs, so the suite gets test settings without being told.
PATHWAYS_ENV = env.str("PATHWAYS_ENV", default="test" if "PYTEST_VERSION" in env else "development")
if PATHWAYS_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("PATHWAYS_ENV must be development, test or production")
PRODUCTION = PATHWAYS_ENV == "production"

VAR_DIR = Path(
    env.str("PATHWAYS_VAR_DIR", default=str(PROJECT_DIR / "var" / ("test" if PATHWAYS_ENV == "test" else "")))
)
VAR_DIR.mkdir(parents=True, exist_ok=True)

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters in production."
        )
else:
    SECRET_KEY = env.str("SECRET_KEY", default="development-only-key-" + "x" * 40)

# Sealed bids are wrapped under a key derived from this secret, which lives only in the environment
# (see commissioning/sealing.py). Losing it loses every bid not yet opened; keep it with SECRET_KEY.
if PRODUCTION:
    BID_SEALING_KEY = env.str("BID_SEALING_KEY", default="")
    if len(BID_SEALING_KEY) < 50 or BID_SEALING_KEY == SECRET_KEY:
        raise ImproperlyConfigured(
            "BID_SEALING_KEY must be set to a random value of at least 50 characters, different from SECRET_KEY, "
            "in production."
        )
else:
    BID_SEALING_KEY = env.str("BID_SEALING_KEY", default="development-only-sealing-key-" + "y" * 30)

DEBUG = env.bool("DEBUG", default=PATHWAYS_ENV == "development")
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The prefix of every open contracting id (ocid): register a real one with the Open Contracting Partnership.
OCDS_PREFIX = env.str("OCDS_PREFIX", default="ocds-pathways")
# Harvesting other directories reaches public addresses only, unless this says otherwise (a directory on
# the installation's own network; the tests' local servers).
HARVEST_PRIVATE_ADDRESSES = env.bool("HARVEST_PRIVATE_ADDRESSES", default=PATHWAYS_ENV == "test")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "huey.contrib.djhuey",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "govuk_frontend_django",
    "pathways.core",
    "pathways.audit",
    "pathways.jobs",
    "pathways.taxonomy",
    "pathways.organisations",
    "pathways.directory",
    "pathways.commissioning",
    "pathways.web",
    "pathways.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pathways.organisations.middleware.ActingForMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pathways.urls"
WSGI_APPLICATION = "pathways.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "pathways.web.context_processors.shell",
            ],
        },
    }
]

# Database: SQLite under var/ by default, PostgreSQL (or anything Django supports) from DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'pathways.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:signed-out"
if not PRODUCTION and PATHWAYS_ENV != "development":
    # Tests hash passwords quickly; real deployments keep Django's default hashers.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Sessions end after a period without activity (30 minutes by default).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Messages ride in the session, so Pathways sets only the two cookies its cookies page names.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Sign-in throttling: after AXES_FAILURE_LIMIT failures for one email from one address,
# further attempts are refused until the cool-off has passed.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)

# Secure headers. Production adds HTTPS-only cookies, HSTS and redirects.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content Security Policy: only this site's own scripts, styles, fonts and images.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Email: console by default, anything from EMAIL_URL (smtp://user:pass@host:587/?tls=True).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Pathways <no-reply@pathways.invalid>")

# Background jobs: Huey, with its SQLite store by default and Redis when REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=PATHWAYS_ENV == "test")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env.str("HUEY_NAME", default="pathways"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "pathways",
        "filename": str(VAR_DIR / "huey.db"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it, even before collectstatic
# GOV.UK Frontend, installed from the npm registry by `make` (see package.json).
STATICFILES_DIRS = [("govuk-frontend/dist", PROJECT_DIR / "node_modules" / "govuk-frontend" / "dist")]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pathways.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pathways API",
    "DESCRIPTION": (
        "Organisations, the shared taxonomy, the knowledge base (what Open Referral UK does not cover: funding, "
        "relationships with statutory bodies, freshness and change requests; the Open Referral UK 3.0 read API "
        "is at /api/openreferral/v3/), opportunities, background jobs and the audit trail."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ServiceStatusEnum": "pathways.directory.models.ServiceStatus",
        "ChangeRequestStatusEnum": "pathways.directory.models.ChangeRequestStatus",
        "FundingKindEnum": "pathways.directory.models.FundingKind",
        "PlaceKindEnum": "pathways.organisations.models.PlaceKind",
        "OpportunityStatusEnum": "pathways.commissioning.models.OpportunityStatus",
        "BidStatusEnum": "pathways.commissioning.models.BidStatus",
        "PanelRoleEnum": "pathways.commissioning.models.PanelRole",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
