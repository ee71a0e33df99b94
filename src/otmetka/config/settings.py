"""Otmetka settings: whatever differs between installations comes from environment variables."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """Read a setting from NAME, or from the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("OTMETKA_DATA_DIR", str(Path.home() / ".otmetka"))).expanduser()
# Created for its owner only: it holds the database, the secret key and the uploaded files.
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client, for the audit
# and the login throttle (audit.services.client_ip).
TRUSTED_PROXIES = [p.strip() for p in env("TRUSTED_PROXIES", "127.0.0.1,::1").split(",") if p]


def _secret_key() -> str:
    """SECRET_KEY from env; otherwise one generated once and kept in the data dir."""
    key = env("SECRET_KEY")
    if key:
        return key
    from django.core.management.utils import get_random_secret_key

    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Created 0600 at once: never readable by others, not even for a moment.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(get_random_secret_key())
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

INSTALLED_APPS = [
    "otmetka.core",
    "otmetka.accounts",
    "otmetka.access",
    "otmetka.audit",
    "otmetka.school",
    "otmetka.people",
    "otmetka.curriculum",
    "otmetka.journal",
    "otmetka.grading",
    "otmetka.compliance",
    "otmetka.reports",
    "otmetka.archive",
    "otmetka.messaging",
    "otmetka.diary",
    "otmetka.portal",
    "otmetka.setup",
    "otmetka.home",
    "otmetka.api",
    "otmetka.demo",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves swagger-ui of the API docs from its own static files, not from a CDN
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "csp",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: refuses oversized bodies and anonymous uploads before anything reads the body.
    "otmetka.core.limits.RequestLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "otmetka.core.middleware.CSPMiddleware",  # django-csp's, its policy text built once
    "otmetka.core.middleware.PrivateCacheMiddleware",
    # An app's diary poll answered 304 from one read, before the session, auth and ninja.
    "otmetka.api.notmodified.DiaryNotModifiedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "otmetka.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user read in the session's own statement (accounts/sessions.py).
    "otmetka.accounts.sessions.SessionUserMiddleware",
    "otmetka.audit.services.ClientIPMiddleware",
    "otmetka.accounts.middleware.ForcePasswordChangeMiddleware",
    "otmetka.access.middleware.CurrentSchoolMiddleware",
    "otmetka.core.middleware.LazyMessageMiddleware",  # Django's, its storage made when used
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: turns a lockout anywhere (our form, the admin's) into our 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "otmetka.config.urls"
WSGI_APPLICATION = "otmetka.config.wsgi.application"

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
                "otmetka.access.context_processors.current_school",
                "otmetka.access.menu.main_menu",
                "otmetka.messaging.context_processors.unread",
            ],
        },
    },
]

# Database: SQLite in the data dir by default, anything else through DATABASE_URL.
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'otmetka.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend with this process's write transactions taken in turn (see its module).
    DATABASES["default"]["ENGINE"] = "otmetka.config.sqlite"
    # Persistent: a new connection per request ran the five PRAGMAs below every time. Safe
    # because `otmetka restore` wants the server stopped (it replaces the file).
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        # BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue on the
        # busy timeout instead of failing with "database is locked" on lock upgrade.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-20000;"
        ),
    }
    # In memory unless named (said outright: pytest-django recognises only the stock engine).
    DATABASES["default"]["TEST"] = {"NAME": env("OTMETKA_TEST_SQLITE", "") or ":memory:"}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # OTMETKA_PG_PREPARE=1: server-side binding, so psycopg prepares a query the fifth time a
    # connection runs it and PostgreSQL plans it once per connection instead of once per request.
    # Measured on `school-S`: the grid's three queries 33 → 17 ms of database time (planning the
    # access-checked course read was 7 of its 8 ms; docs/benchmarks.md). Off by default until the
    # whole suite has run with it: a statement is limited to 65,535 parameters (large
    # `bulk_create` calls without batch_size), Django's #34255 (parameters in GROUP BY), and
    # PgBouncer in transaction mode before 1.21 cannot keep prepared statements.
    # psycopg prepares a server-side bound statement the fifth time a connection runs it
    # (Django turns that off unless asked): by default only `core.rows.planned_cursor`'s
    # statements (the diary's 304) bind on the server; Django's cursors bind on the client and
    # are never prepared.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
    if env_bool("OTMETKA_PG_PREPARE"):
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
    # PostgreSQL: psycopg's connection pool in each process (Django's OPTIONS["pool"]) instead
    # of a connection per request or per thread. OTMETKA_PG_POOL is the pool's largest size;
    # `otmetka serve` sets it (SERVE_PG_POOL) unless given, other commands and the tests keep
    # plain connections (0; then CONN_MAX_AGE applies).
    _pool = int(env("OTMETKA_PG_POOL", "0"))
    if _pool > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps them; Django insists
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": _pool,
            "timeout": 10,
        }

# Django's cache: in the memory of each process (locmem; nothing shared between workers, nothing
# to run beside the app). It holds the per-school reference data (school/refcache.py: periods,
# kinds of work, absence codes, marking policies; four entries a school and version). Django's
# default of 300 entries would be full with 75 schools and evict the rest on every request of a
# region: OTMETKA_CACHE_ENTRIES (default 20,000: a region of 5,000 schools, a few KB each).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(env("OTMETKA_CACHE_ENTRIES", "20000"))},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "otmetka.accounts.hashers.OtmetkaArgon2Hasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "otmetka.accounts.hashers.IssuedArgon2Hasher",  # issued one-time passwords only
]
AUTH_PASSWORD_VALIDATORS = [
    # Both know Russian: layouts, transliteration, a Russian list (accounts/passwords.py).
    {"NAME": "otmetka.accounts.passwords.NameSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "otmetka.accounts.passwords.RussianCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked login before any password check
    "otmetka.accounts.backends.LoginBackend",
]
# Login throttling (django-axes, see accounts/throttle.py): LOGIN_FAILURE_LIMIT failures of one
# login from one IP address lock that pair for LOGIN_LOCKOUT_MINUTES after the last failure;
# LOGIN_IP_FAILURE_LIMIT failures from one address (any logins) lock the address as a whole.
LOGIN_FAILURE_LIMIT = int(env("OTMETKA_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(env("OTMETKA_LOGIN_LOCKOUT_MINUTES", "15"))
LOGIN_IP_FAILURE_LIMIT = int(env("OTMETKA_LOGIN_IP_FAILURE_LIMIT", "200"))
AXES_HANDLER = "otmetka.accounts.throttle.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "otmetka.accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = "otmetka.accounts.throttle.cool_off"
AXES_USERNAME_CALLABLE = "otmetka.accounts.throttle.axes_username"
AXES_CLIENT_IP_CALLABLE = "otmetka.audit.services.client_ip"  # the audit's address, proxy or not
AXES_LOCKOUT_CALLABLE = "otmetka.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
# A refused attempt during a lock neither extends it nor counts: the page names when it ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful logins go to the audit table instead
AXES_VERBOSE = False

# Database sessions whose row carries the user's id: the session and its user in one read.
SESSION_ENGINE = "otmetka.accounts.sessions"
SESSION_SERIALIZER = "otmetka.accounts.sessions.OrjsonSerializer"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# The session cookie ends with the browser, unless «Запомнить меня» keeps it this many days.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_REMEMBER_DAYS = int(env("OTMETKA_LOGIN_REMEMBER_DAYS", "14"))
# API tokens (issue 17): a token lasts API_TOKEN_DAYS (ЭлЖур's are said to last three months);
# ELJUR_DEVKEYS, comma-separated, limits the ЭлЖур layer to those developer keys (empty: any).
API_TOKEN_DAYS = int(env("OTMETKA_API_TOKEN_DAYS", "90"))
ELJUR_DEVKEYS = [k.strip() for k in env("OTMETKA_ELJUR_DEVKEYS", "").split(",") if k.strip()]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Headers (SecurityMiddleware, django-csp). HTTPS (SECURE_COOKIES=1) also turns on HSTS and trusts
# the TLS proxy's X-Forwarded-Proto, so the app knows a request came over HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if SESSION_COOKIE_SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
# No inline scripts, styles or event handlers anywhere (the Django admin included): every
# script is an ES module file, every style a CSS file, all from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Images may also be data: URIs (the API docs' Swagger UI draws its icons so); an image
        # runs no code.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Where `otmetka backup`/`restore` find pg_dump, pg_restore and psql (default: the newest of
# /usr/lib/postgresql/*/bin, then PATH).
PG_BIN_DIR = env("OTMETKA_PG_BIN_DIR")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Homework files go out through an access-checked view; in production the web server may send
# the bytes: "nginx" (X-Accel-Redirect to OTMETKA_FILE_ACCEL_PREFIX, an internal location
# aliased to MEDIA_ROOT) or "apache" (X-Sendfile with the absolute path; mod_xsendfile).
OTMETKA_FILE_ACCEL = env("OTMETKA_FILE_ACCEL").lower()
OTMETKA_FILE_ACCEL_PREFIX = env("OTMETKA_FILE_ACCEL_PREFIX", "/protected-media/")

# Request size. A body over OTMETKA_MAX_UPLOAD_MB is refused (413) before it is read, and an
# anonymous multipart POST before its body is parsed (otmetka.core.limits.RequestLimitMiddleware).
OTMETKA_MAX_UPLOAD_MB = int(env("OTMETKA_MAX_UPLOAD_MB", "20"))
# Days a journal kept on a teacher's device for offline entry stays usable (docs/journal.md).
JOURNAL_OFFLINE_DAYS = int(env("OTMETKA_JOURNAL_OFFLINE_DAYS", "7"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a non-file body (JSON, form fields): 2.5 MB
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a larger uploaded file is spooled to a temp file
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_TEMP_DIR = env("OTMETKA_UPLOAD_TEMP_DIR") or None

EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "otmetka@localhost")
if not env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background work (e-mail of new messages): Django's tasks API through the django-tasks backport,
# kept in the database and run by `otmetka worker` (docs/messaging.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Messaging limits: per message, per sender and hour (docs/messaging.md).
OTMETKA_MESSAGE_MAX_CHARS = int(env("OTMETKA_MESSAGE_MAX_CHARS", "5000"))
OTMETKA_MESSAGE_MAX_RECIPIENTS = int(env("OTMETKA_MESSAGE_MAX_RECIPIENTS", "500"))
OTMETKA_MESSAGES_PER_HOUR = int(env("OTMETKA_MESSAGES_PER_HOUR", "30"))
# The address of this installation as users open it: links in e-mails.
OTMETKA_BASE_URL = env("OTMETKA_BASE_URL", "http://localhost:8000").rstrip("/")
# The installation's support contact (a URL: https://…, mailto:…, tel:…), shown to the school's
# administrator on the status page, in the footer for staff and on error pages (docs/operators.md).
OTMETKA_SUPPORT_URL = env("OTMETKA_SUPPORT_URL", "")
# A demo installation (`otmetka demo` sets it while serving): the login page says that the
# printed demo passwords are not forced to change.
OTMETKA_DEMO = env_bool("OTMETKA_DEMO")
# Where `otmetka worker` writes its heartbeat; the status page reads its age.
OTMETKA_WORKER_HEARTBEAT = DATA_DIR / "worker.heartbeat"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_forbidden": {"()": "otmetka.core.logging.QuietForbidden"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["quiet_forbidden"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
