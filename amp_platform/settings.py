"""AMP Platform settings: one module, driven by environment variables (see .env.example).

Defaults give the zero-setup demo run: SQLite under var/, local-memory cache, eager Celery tasks,
console e-mail. DATABASE_URL switches to PostgreSQL, REDIS_URL to Redis for broker and cache.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_secret_key, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_secret_key(
    "SECRET_KEY", debug=DEBUG, dev_default="dev-only-insecure-key-change-me"
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "django_filters",
    "django_htmx",
    "csp",
    "accounts",
    "places",
    "partnerships",
    "safety",
    "surveys",
    # Above every domain app: seed_demo and the demo data (refuses to run with DEBUG=0).
    "demo",
    # Django's own widget templates, for the form renderer below.
    "django.forms",
    # After our apps, so "Token" is ours; DRF without its catalogue (see the module).
    "amp_platform.rest_framework_app.RestFrameworkWithoutCatalogue",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amp_platform.middleware.PrivatePagesMiddleware",
    "amp_platform.replica.RecentWriteMiddleware",
    "amp_platform.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "amp_platform.urls"
WSGI_APPLICATION = "amp_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amp_platform.context_processors.platform",
                "places.context_processors.notifications",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_url("DATABASE_URL", None, schemes=("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            # Persistent connections with health checks: cheap reuse without stale sockets.
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
else:
    # var/ is in the repository (var/.gitkeep), so the SQLite file has a directory to live in.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "amp.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
# A PostgreSQL read replica (streaming replication) for the read-heavy pages: the dashboard's,
# the overview's and the reports' rendering and the API's lists read there, everything else on
# the primary (amp_platform/replica.py, README "Past one machine").
DATABASE_REPLICA_URL = env_url("DATABASE_REPLICA_URL", None, schemes=("postgres", "postgresql"))
# How long a person who wrote, and a place that changed, read from the primary only.
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 10, minimum=0)
if DATABASE_REPLICA_URL and DATABASE_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        ),
        # Tests: the same test database as the primary.
        "TEST": {"MIRROR": "default"},
    }
REPLICA_READS = "replica" in DATABASES
DATABASE_ROUTERS = ["amp_platform.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", None, schemes=("redis", "rediss"))
# Seconds a cache call may wait for Redis before the page carries on uncached (fail open:
# amp_platform/cache.py).
CACHE_SOCKET_TIMEOUT = env_int("CACHE_SOCKET_TIMEOUT", 1, minimum=1)
REDIS_CACHE_BACKEND = "amp_platform.cache.FailOpenRedisCache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": REDIS_CACHE_BACKEND,
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "amp"),
            "OPTIONS": {
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    # Sessions are read from the cache and written through to the database: a page view does
    # not query the session table (README "Speed"); a cache that is down falls back to it.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # kombu's Redis transport with a fix that keeps the worker running when Redis goes away
    # during a task (amp_platform/broker.py links the upstream change).
    CELERY_BROKER_TRANSPORT = "amp_platform.broker:Transport"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"

# Without a broker the zero-setup run executes tasks in-process.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task message a worker took but never acknowledged (the worker was killed, the host went
# away) goes back to the queue after `visibility_timeout`. It must exceed the longest task's
# hard time limit (the free-text retention task: 11 minutes) and every retry countdown (at most
# 15 minutes), or a running or waiting task would be delivered twice; above that, it is only
# how long a lost task waits. 20 minutes. The sweepers (below) re-enqueue lost reports and mails
# sooner. A test keeps this above every task's limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 20 * 60,
    # A Redis that hangs must not hang a request that enqueues a task (amp_platform/celery.py).
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
# Publishing gives up after two quick retries; the work is in the database and the sweepers
# enqueue it again (amp_platform/celery.py, `enqueue_on_commit`).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# The queue this deployment's tasks go to (two deployments, or test runs, may share one Redis).
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# Named entries; the tasks say in their docstrings what they do.
CELERY_BEAT_SCHEDULE: dict = {
    # Lägesbilder: create and generate every report whose period ended (catches up missed days).
    "safety-dispatch-situation-reports": {
        "task": "safety.dispatch_situation_reports",
        "schedule": crontab(hour=5, minute=15),
    },
    # GDPR: clear free text past FREE_TEXT_RETENTION_DAYS (architecture §6).
    "safety-clear-expired-free-text": {
        "task": "safety.clear_expired_free_text",
        "schedule": crontab(hour=3, minute=40),
    },
    # Reliability: enqueue again what no task will finish – reports whose task was lost, failed
    # reports with attempts left, incident checks and imports whose task was lost, outbox messages
    # due or stuck in "sending" (README "Reliability").
    "places-sweep-outbox": {"task": "places.sweep_outbox", "schedule": 120.0},
    "safety-sweep": {"task": "safety.sweep", "schedule": 300.0},
    # Samverkansplan och larm (issue #13): escalate unanswered alerts and send deliveries a lost
    # task left behind, every minute; ask for the yearly re-confirmation of the plan, daily.
    "safety-sweep-alerts": {"task": "safety.sweep_alerts", "schedule": 60.0},
    "safety-plan-reconfirmation": {
        "task": "safety.plan_reconfirmation",
        "schedule": crontab(hour=8, minute=10),
    },
    # Liveness: beat, the broker and a worker all working (/healthz shows when it last ran).
    "beat-heartbeat": {"task": "amp_platform.beat_heartbeat", "schedule": 60.0},
    # Surveys: open/close surveys at their scheduled times (surveys.tasks.apply_survey_schedule).
    "surveys-apply-schedule": {
        "task": "surveys.apply_schedule",
        "schedule": 300.0,
    },
    # GDPR: clear survey free-text answers past FREE_TEXT_RETENTION_DAYS (architecture §6).
    "surveys-clear-expired-free-text": {
        "task": "surveys.clear_expired_free_text",
        "schedule": crontab(hour=3, minute=50),
    },
    # Funding: each manager's weekly mail of overdue commitments, Monday morning (once per week).
    "partnerships-send-funding-reminders": {
        "task": "partnerships.send_funding_reminders",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # The API: stored Idempotency-Key answers are kept a day (accounts.tokens), then deleted.
    "accounts-sweep-idempotency-keys": {
        "task": "accounts.sweep_idempotency_keys",
        "schedule": crontab(minute=25),
    },
    # Polisens händelser near each place (off while POLICE_EVENTS_URL is empty).
    "safety-fetch-police-events": {
        "task": "safety.fetch_police_events",
        "schedule": 900.0,
    },
    # Outbound webhooks (issue #15): due retries and rows a dead worker left, every two minutes.
    "places-sweep-webhooks": {"task": "places.sweep_webhooks", "schedule": 120.0},
}
# The worker touches this file every 15 s; the container's health check reads its age.
WORKER_HEARTBEAT_FILE = env_str("WORKER_HEARTBEAT_FILE", "/tmp/amp-worker-heartbeat")


# --- Auth (django-allauth, e-mail only) -------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "places:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AMP] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Sign-up asks for the name with the password (greetings and lists show names, not addresses).
# Widgets render through our template settings so that templates/django/forms/ can give every
# form the same wording (one empty choice: "Välj …", never "---------").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_URL = env_url("EMAIL_URL", None, schemes=("smtp", "smtps", "console"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AMP Platform <noreply@example.org>")
# Seconds one SMTP call may take: a mail server that hangs must not hold a worker for ever
# (the outbox sends the message again later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_URL and not EMAIL_URL.startswith("console"):
    _email = dj_database_url.urlparse.urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
    EMAIL_HOST_USER = _email.username or ""
    EMAIL_HOST_PASSWORD = _email.password or ""
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme == "smtp" and EMAIL_PORT == 587
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# First wins: our Swedish for allauth's messages (tools/allauth_overrides.py), then our own.
LOCALE_PATHS = [BASE_DIR / "accounts" / "allauth_locale", BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["amp_platform.formats"]

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security -----------------------------------------------------------------------------------
# Behind a TLS-terminating reverse proxy, name the header it sets (`X-Forwarded-Proto`): Django
# then trusts it for "is this request https". Unset, nothing a client sends can claim https.
PROXY_SSL_HEADER = env_str("PROXY_SSL_HEADER", "")
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The language choice is harmless, but a cookie sent over plain HTTP or to other sites is not
# how this service treats cookies; no script reads it.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# --- Maps ---------------------------------------------------------------------------------
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
_tile_origin = "{0.scheme}://{0.netloc}".format(
    dj_database_url.urlparse.urlparse(MAP_TILE_URL.replace("{s}", "a"))
)

# Content Security Policy (django-csp 4): no inline script, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _tile_origin],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Product settings ---------------------------------------------------------------------------
# Free text on incidents, activities and action items older than this is cleared (architecture §6).
FREE_TEXT_RETENTION_DAYS = env_int("FREE_TEXT_RETENTION_DAYS", 730, minimum=30)
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "amp-demo-2026")

# Public surveys: the per-address rate limit keeps only a hashed, short-lived counter. Behind a
# reverse proxy, set the number of trusted proxies so each visitor is counted on their own.
SURVEYS_TRUSTED_PROXY_HOPS = env_int("SURVEYS_TRUSTED_PROXY_HOPS", 0, minimum=0)
SURVEYS_RATE_LIMIT_PER_HOUR = env_int("SURVEYS_RATE_LIMIT_PER_HOUR", 30, minimum=1)
# How long a public survey form stays valid between loading and sending it.
SURVEYS_FORM_TOKEN_MAX_AGE = env_int("SURVEYS_FORM_TOKEN_MAX_AGE", 12 * 60 * 60, minimum=60)
# Responses a survey (or a period) needs before its safety index, distributions and free text
# are shown anywhere: one answer is one person's view, and their free text is theirs (#19).
SURVEY_MIN_ANSWERS = env_int("SURVEY_MIN_ANSWERS", 10, minimum=1)

# --- The public side (issue #14) ------------------------------------------------------------
# The public pages (a place's page, tips, the tracking page, the survey answer page) speak the
# languages people in the place speak; the member side stays LANGUAGES (sv/en). Chosen on the
# page (?lang=), activated per view (places/public_i18n.py), never through the site's switch.
# Each named in its own language, as the link a visitor looks for ("In English").
PUBLIC_LANGUAGES = [
    ("sv", "På svenska"),
    ("en", "In English"),
    ("ar", "بالعربية"),
    ("so", "Af-Soomaali"),
]
TIPS_RATE_LIMIT_PER_HOUR = env_int("TIPS_RATE_LIMIT_PER_HOUR", 10, minimum=1)
# A place's dashboard figures are cached this long; any change to the place's data replaces
# its cache version at once, so this only bounds memory, not staleness.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 600, minimum=0)

# The open API (issue #15): requests per minute per token, and the longest a token may live.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)
API_PAGE_SIZE = 50
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.api.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.api.HasTokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "accounts.api.Cursor",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "accounts.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AMP Platform API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "Read a place's figures, incidents, activities, action items, situation reports and "
        "survey results; log incidents and activities. Authenticate with a personal token: "
        "`Authorization: Bearer amp_…`. A token acts as its owner."
    ),
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ActionItemStatus": "places.models.ActionItem.Status",
        "SurveyStatus": "surveys.models.Survey.Status",
        "ReportStatus": "safety.models.SituationReport.Status",
        "ReportKind": "safety.models.SituationReport.Kind",
        "PlaceKind": "places.models.Place.Kind",
    },
}
# Incident import: an uploaded file is untrusted, so what one file may cost a worker is bounded
# before and while it is read (safety/import_files.py). An .xlsx is a zip: its unpacked size and
# packing ratio are limited too, so a small file cannot inflate to gigabytes.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int(
    "IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024, minimum=1024
)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100, minimum=2)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 50, minimum=2)
# Longer than an incident description (4,000 characters) may be, so that one still gets its
# own row error; anything longer refuses the file.
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 5000, minimum=100)

# Log lines carry a message only: never the request (its REMOTE_ADDR or X-Forwarded-For) – no
# visitor's IP address is logged (architecture §6). Django's own "django" logger would also mail
# errors to ADMINS with the full request; here it only prints to the console.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        # WeasyPrint logs every layout step at INFO and every CSS property it skips (our
        # stylesheets serve the browser too) as a warning; only its errors matter here.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}


# --- Alerts: Web Push and SMS (issue #13) -----------------------------------------------------
# VAPID keys for Web Push (generate with `vapid --gen`, base64url): without them push is off.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:drift@example.org")
# SMS to the organisations' functional numbers: "console" (development: logged) or "http"
# (a provider with a JSON POST API: SMS_HTTP_URL, SMS_HTTP_TOKEN, SMS_SENDER).
SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN", "")
SMS_SENDER = env_str("SMS_SENDER", "AMP")

# Polisens händelser (issue #15): an optional beat task reads the police's public events feed
# (e.g. https://polisen.se/api/events) and keeps the events near each place as external events.
# Off while POLICE_EVENTS_URL is empty. POLICE_EVENTS_MUNICIPALITIES (comma-separated) limits
# the municipalities read; empty = every municipality that has a place.
POLICE_EVENTS_URL = env_str("POLICE_EVENTS_URL", "")
POLICE_EVENTS_MUNICIPALITIES = env_list("POLICE_EVENTS_MUNICIPALITIES", [])
POLICE_EVENTS_RADIUS_M = env_int("POLICE_EVENTS_RADIUS_M", 3000)
