"""Settings from the environment.

DATABASE_URL   database (default: SQLite file var/nms.sqlite3)
SECRET_KEY     secret key (default: generated once into var/secret_key)
DEBUG          "1"/"true" to turn debug on (default off)
TIME_ZONE      time zone (default Europe/Moscow)
ALLOWED_HOSTS  comma-separated host names (default: localhost names)
CONN_MAX_AGE   seconds a worker keeps its database connection (60; 0 opens one per request)
NMS_PG_PARALLEL_WORKERS  PostgreSQL's parallel workers per query of a request (0: none)
NMS_CACHE_DIR  the cache shared by the workers: sessions, kept figures (default var/cache);
               NMS_CACHE_URL=locmem:// keeps a cache per process (and sessions in the database)
NMS_TASKS_BACKEND      where background jobs run: "database" (default: a queue in the database,
                       run by `nms db_worker`), "immediate" (inside the request, no worker) or the
                       dotted path of a django-tasks backend class
NMS_AGGREGATE_SECONDS  a territory's figures (deficit map, home page) are kept this long (300 s;
                       0 recomputes on every view); the page shows when they were computed
NMS_COUNT_SECONDS      a list's count of 1 000 rows or more («Найдено», the API's count) is kept
                       this long (60 s; never longer than NMS_AGGREGATE_SECONDS)
NMS_EXPORT_SYNC_LIMIT  a list export with more rows than this runs as a background job (2000)
NMS_SYNC_ROUTES_LIMIT  routes from a template for more people than this are made by a job (200)
NMS_SYNC_ACCOUNTS_LIMIT accounts for more people than this are issued by a job (300)
NMS_TOKEN_DAYS         an API token is valid for this many days (30)
NMS_TEAM_PARTICIPATION when a management team took part in a programme: "any" member completed it
                       (default) or "all" of them (A4)
NMS_CASELOAD_CAP       teachers in one regional methodist's care, at most (250); a region may set
                       its own on its support settings
NMS_METHODICAL_THRESHOLD  methodical competency share (%) a РМА member must reach (70)
NMS_ANSWER_DAYS        days to answer a request for help (5); NMS_URGENT_ANSWER_DAYS urgent (2)
NMS_MONITORING_SYNC_UNITS  indicators for a region of more organizations than this are computed
                       by a background job (300)
NMS_IMPORT_MAX_BYTES   an XLSX file to import may be this big, in bytes (20 MB); bigger is refused
NMS_IMPORT_MAX_UNPACKED  … and unpack to this much in all, by its ZIP directory (200 MB)
NMS_IMPORT_MAX_SHARED  … any part but a worksheet, the shared strings first of all (30 MB)
NMS_IMPORT_MAX_RATIO   … no part (over 1 MB unpacked) compressed more than this many times (100)
NMS_IMPORT_MAX_ROWS    rows with data an import reads (200 000); more: the file is refused
NMS_IMPORT_MAX_COLUMNS columns read from the left (200); further ones are ignored
NMS_IMPORT_MAX_CELL    characters in a cell (2 000); a longer cell is an error of its row
NMS_IMPORT_MAX_ERRORS  errors an import report lists (1 000); the summary counts them all
HTTPS                  "1" when the site is served over HTTPS (behind a proxy that sets
                       X-Forwarded-Proto): redirect to https, HSTS for a year, Secure cookies
NMS_PROXY_IP_HEADER    behind a reverse proxy: the request header with the client's address, as
                       Django names it (e.g. HTTP_X_FORWARDED_FOR or HTTP_X_REAL_IP); the login
                       lockout counts failures per this address (default: REMOTE_ADDR)
NMS_PROXY_COUNT        proxies in front of the site that append to X-Forwarded-For (1)
EMAIL_URL-like settings are left to Django's defaults; EMAIL_HOST turns SMTP on.
"""

import os
import secrets
from pathlib import Path

import dj_database_url


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "да"}


BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("NMS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

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
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "nms.common.apps.AxesConfig",  # django-axes under a Russian name in the admin
    "csp",
    "django_tasks",
    "django_tasks_db",
    "nms.common",
    "nms.accounts",
    "nms.registry",
    "nms.itembank",
    "nms.diagnostics",
    "nms.deficits",
    "nms.routes",
    "nms.programs",
    "nms.events",
    "nms.support",
    "nms.mentoring",
    "nms.outcomes",
    "nms.staffing",
    "nms.exchange",
    "nms.monitoring",
    "nms.catalogs",
    "nms.roadmap",
    "nms.portal",
    "nms.dashboard",
    "nms.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "nms.common.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nms.accounts.middleware.FirstLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # last: our 404/403 pages for what the views refuse, with DEBUG on as well (nms.common.errors)
    "nms.common.middleware.ErrorPagesMiddleware",
]

ROOT_URLCONF = "nms.urls"
WSGI_APPLICATION = "nms.wsgi.application"

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
                "nms.accounts.context_processors.scope",
            ],
        },
    },
]

# Selects and inputs written without a template per option (same HTML; nms.common.widgets).
FORM_RENDERER = "nms.common.widgets.FastRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'nms.sqlite3'}",
        # A connection kept by each worker: PostgreSQL starts a process per connection, which
        # cost more than a list page's queries did. Checked before reuse after an error.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No parallel workers for a page's query: with many users at once every core already serves
    # a request, and starting workers cost more than it saved (a 3 ms count took 90 ms).
    # No JIT compilation: our queries over a region's hundred thousand rows are costed above
    # its threshold, and compiling the monitoring's conditional aggregates took longer than
    # running them (1.1 s of 2.5 s for four flags; bench/bench_monitoring.py).
    _parallel = os.environ.get("NMS_PG_PARALLEL_WORKERS", "0").strip() or "0"
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c max_parallel_workers_per_gather={int(_parallel)} -c jit=off"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
if (
    os.environ.get("NMS_TEST_DB_NAME")
    and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
):
    # lets two test runs share one PostgreSQL server (SQLite tests stay in memory)
    DATABASES["default"]["TEST"] = {"NAME": os.environ["NMS_TEST_DB_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (django-tasks; its database backend is the django-tasks-db package since 0.12).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("NMS_TASKS_BACKEND", "database").strip() or "database"
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(_tasks_backend, _tasks_backend)}}
NMS_AGGREGATE_SECONDS = int(os.environ.get("NMS_AGGREGATE_SECONDS", "300"))  # common.aggregates

# One cache for every worker of the machine (files under NMS_CACHE_DIR): a territory's kept
# figures and big counts are computed once for all workers, and a request reads its session
# from it instead of the database (written through to the database, so nothing is lost when
# the cache is cleared). NMS_CACHE_URL=locmem:// keeps it in each process instead.
_cache_dir = Path(os.environ.get("NMS_CACHE_DIR", VAR_DIR / "cache"))
if os.environ.get("NMS_CACHE_URL", "").startswith("locmem:"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"  # a session must not outlive logout
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(_cache_dir),
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
NMS_COUNT_SECONDS = int(os.environ.get("NMS_COUNT_SECONDS", "60"))  # common.aggregates.kept_count
NMS_EXPORT_SYNC_LIMIT = int(os.environ.get("NMS_EXPORT_SYNC_LIMIT", "2000"))
NMS_SYNC_ROUTES_LIMIT = int(os.environ.get("NMS_SYNC_ROUTES_LIMIT", "200"))
NMS_SYNC_ACCOUNTS_LIMIT = int(os.environ.get("NMS_SYNC_ACCOUNTS_LIMIT", "300"))  # else a job

# Imports from XLSX: limits checked before and while reading (nms.common.xlsx), in bytes and counts.
NMS_IMPORT_MAX_BYTES = int(os.environ.get("NMS_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
NMS_IMPORT_MAX_UNPACKED = int(os.environ.get("NMS_IMPORT_MAX_UNPACKED", 200 * 1024 * 1024))
NMS_IMPORT_MAX_SHARED = int(os.environ.get("NMS_IMPORT_MAX_SHARED", 30 * 1024 * 1024))
NMS_IMPORT_MAX_RATIO = int(os.environ.get("NMS_IMPORT_MAX_RATIO", "100"))
NMS_IMPORT_MAX_ROWS = int(os.environ.get("NMS_IMPORT_MAX_ROWS", "200000"))
NMS_IMPORT_MAX_COLUMNS = int(os.environ.get("NMS_IMPORT_MAX_COLUMNS", "200"))
NMS_IMPORT_MAX_CELL = int(os.environ.get("NMS_IMPORT_MAX_CELL", "2000"))
NMS_IMPORT_MAX_ERRORS = int(os.environ.get("NMS_IMPORT_MAX_ERRORS", "1000"))

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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+address after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy every client would share the proxy's address (and anyone could lock any
# account out): NMS_PROXY_IP_HEADER names the header the proxy puts the client's address in.
NMS_PROXY_IP_HEADER = os.environ.get("NMS_PROXY_IP_HEADER", "").strip()
NMS_PROXY_COUNT = max(1, int(os.environ.get("NMS_PROXY_COUNT", "1")))
AXES_CLIENT_IP_CALLABLE = "nms.common.middleware.client_ip"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["nms.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(
    exist_ok=True
)  # whitenoise serves app static files from finders, warns without it
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: a call without credentials is answered 401 with WWW-Authenticate.
        "nms.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "nms.common.pagination.ApiPagination",  # big counts kept a while
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "nms.common.api.AutoSchema",
    # ДД.ММ.ГГГГ as on the pages, and ISO 8601 as the API answers (existing clients use it); the
    # registry's serializers also demand two-digit day and month (nms.registry.api.DateField).
    "DATE_INPUT_FORMATS": ["%d.%m.%Y", "iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "НМС API",
    "DESCRIPTION": "API платформы научно-методического сопровождения педагогических работников",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" or a "status" with its own choices: each set gets its name.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "nms.registry.models.OrganizationKind",
        "ItemKindEnum": "nms.itembank.models.ItemKind",
        "ProcedureKindEnum": "nms.diagnostics.models.ProcedureKind",
        "ReviewStatusEnum": "nms.itembank.models.ReviewStatus",
        "AttemptStatusEnum": "nms.diagnostics.models.AttemptStatus",
        "ProcedureLevelEnum": "nms.diagnostics.models.Level",
        "EventKindEnum": "nms.events.models.EventKind",
        "EventLevelEnum": "nms.events.models.EventLevel",
        "ProgrammeKindEnum": "nms.programs.models.ProgrammeKind",
        "ProgrammeStatusEnum": "nms.programs.models.ProgrammeStatus",
        "DecisionStatusEnum": "nms.monitoring.models.Decision.Status",
    },
}


if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nms@localhost")

NMS_TOKEN_DAYS = int(os.environ.get("NMS_TOKEN_DAYS", "30"))
NMS_TEAM_PARTICIPATION = os.environ.get("NMS_TEAM_PARTICIPATION", "any")
NMS_CASELOAD_CAP = int(os.environ.get("NMS_CASELOAD_CAP", "250"))
NMS_METHODICAL_THRESHOLD = int(os.environ.get("NMS_METHODICAL_THRESHOLD", "70"))
NMS_ANSWER_DAYS = int(os.environ.get("NMS_ANSWER_DAYS", "5"))
NMS_URGENT_ANSWER_DAYS = int(os.environ.get("NMS_URGENT_ANSWER_DAYS", "2"))
NMS_MONITORING_SYNC_UNITS = int(os.environ.get("NMS_MONITORING_SYNC_UNITS", "300"))

# Security headers. HTTPS=1 (one switch): redirect to https, HSTS, Secure cookies, and trust the
# proxy's X-Forwarded-Proto (the proxy must set it and strip a client's own).
HTTPS = _flag("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS or _flag("SECURE_COOKIES")
CSRF_COOKIE_SECURE = HTTPS or _flag("SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline scripts or styles anywhere; the API docs page
# (Swagger UI) relaxes style-src for itself (nms/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
