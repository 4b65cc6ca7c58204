"""Settings for 三长通. One file; everything that differs per machine comes from the environment.

DATABASE_URL defaults to an SQLite file in the project folder; production sets a postgres:// URL.
"""

import ipaddress
from pathlib import Path

import environ
from csp.constants import NONCE as CSP_NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    SECURE=(bool, False),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# Only a developer machine (DEBUG=true) may run on the public development key.
DEV_SECRET_KEY = "django-insecure-local-development-only"
SECRET_KEY = env("SECRET_KEY", default="") or (DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY in ("", DEV_SECRET_KEY):
    raise ImproperlyConfigured(
        "未设置 SECRET_KEY：DEBUG 关闭时必须在环境变量或 .env 文件中设置一个 50 个字符以上的随机密钥，例如 "
        "SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\"；"
        "仅在开发机上可用 DEBUG=true 使用开发密钥。 / "
        "SECRET_KEY is not set: with DEBUG off, set a random key of 50+ characters in the environment or .env "
        "(see the command above); only DEBUG=true on a developer machine falls back to the development key."
    )
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

# The project's own apps, lowest layer first (the page layer and the demo builders last, above every
# domain app): audit registration tracks their models and tests/core/test_layers.py checks their
# imports.
PROJECT_APPS = [
    "core",
    "accounts",
    "governance",
    "households",
    "grievances",
    "disputes",
    "training",
    "deliberation",
    "mobile",
    "reports",
    "exports",
    "demo",
]

INSTALLED_APPS = [
    "core.admin_site.SanzhangAdminConfig",  # django.contrib.admin with the site of core/admin_site.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "auditlog",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (the admin CSS) straight from the app, also without DEBUG: see STORAGES.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The session remembers the user's last write: short-lived per-user caches key on it.
    "core.middleware.WriteStampMiddleware",
    # Pages of signed-in users hold personal data: never cached by browsers or proxies.
    "core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # AxesMiddleware must stay last: it turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sanzhang.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "sanzhang.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL keeps the dev server responsive while a seed or import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Other writers wait up to 30 s for the lock (sqlite3's default is 5 s) instead of failing with
    # "database is locked" while an import's all-or-nothing write runs (10,000 households: ~7 s).
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 30)
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # No JIT: compiling a report's grouped query took ~60 ms of its ~0.5 s and never paid back on
    # queries of this size (issue 15).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first so that a locked-out username+IP never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Chinese for the strings of third-party apps that ship none (django-auditlog).
LOCALE_PATHS = [BASE_DIR / "locale"]

# Uploaded files (training materials, photos of notices and supervision): outside the code, never
# served as static files; pages hand them out through views that check the user's scope.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

STATIC_URL = "static/"
STATICFILES_DIRS = [d for d in [BASE_DIR / "static"] if d.is_dir()]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Without DEBUG (production, `make run`) the files come from `collectstatic`: hashed names, gzip/brotli,
# cached for a year by browsers. DEBUG serves them unhashed from the apps (tests do so too, see tests/env.py).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "core.staticfiles.StaticStorage"  # WhiteNoise's compressed manifest storage, URLs kept
    },
}

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "/"

# Sessions end after two hours without activity. Activity renews the window, written at most once
# per SESSION_RENEW_SECONDS (core.middleware.SessionRenewalMiddleware), not on every request.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
SESSION_RENEW_SECONDS = 5 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Production (SECURE=true) behind HTTPS.
SECURE = env("SECURE")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Content-Security-Policy (django-csp 4): only our own scripts and styles; inline ones need the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", CSP_NONCE],
        "style-src": ["'self'", CSP_NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Failed logins: five tries per username+IP, then a 30-minute lock; and LOGIN_IP_FAILURE_LIMIT
# failures from one address across all usernames lock that address (accounts/throttle.py).
AXES_HANDLER = "accounts.throttle.LoginThrottleHandler"
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=20)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind the reverse proxy the client address comes from X-Forwarded-For (see core/client_ip.py), believed
# only when the request comes from a TRUSTED_PROXIES address or network.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES 中的“{_proxy}”不是 IP 地址或网段。") from None
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# Audit history: the actor comes from AuditlogMiddleware; ID numbers and phones are stored masked.
AUDITLOG_MASK_CALLABLE = "core.masking.mask_for_audit"
AUDITLOG_INCLUDE_ALL_MODELS = False

# Background jobs (large exports) through the django-tasks API, queued in the database: `manage.py
# db_worker` runs them (make run starts one beside the web server; more on other machines, README).
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"), "QUEUES": ["default"]}}
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=5000)  # larger ledgers run as jobs
IMPORT_JOB_ROWS = env.int("IMPORT_JOB_ROWS", default=2000)  # larger spreadsheet imports preview and confirm as jobs
# An import job whose state was not written for this long died with its worker: its page says so.
IMPORT_JOB_STALE_SECONDS = env.int("IMPORT_JOB_STALE_SECONDS", default=600)
# The cache keeps report figures and list totals. By default each process has its own; several
# workers or servers share one with CACHE_URL=dbcache://sanzhang_cache (after `manage.py
# createcachetable`) or rediscache://host:6379/1 (with the redis package installed).
# A process's own cache holds up to 2,000 entries (Django's default, 300, is fewer than the users of
# one township: each user's home-page queues are an entry of a few kB).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://?max_entries=2000")}
# The county summary's figures per user scope, unit, period and day are kept this long (0: not cached).
COUNTY_REPORT_CACHE_SECONDS = env.int("COUNTY_REPORT_CACHE_SECONDS", default=600)
# The county summary and the unit page count their independent parts in this many threads, each on its
# own database connection (core.parallel; 1: one after another). Two suit a 2-core database server.
REPORT_THREADS = env.int("REPORT_THREADS", default=2)
# The statistics pages (诉求/联系率/矛盾纠纷/队伍建设) keep their figures a minute per viewer and period.
REPORT_PAGE_CACHE_SECONDS = env.int("REPORT_PAGE_CACHE_SECONDS", default=60)
# The home page's work queues are kept this long per user and day (0: not kept); the user's own
# writes show at once (core.middleware.WriteStampMiddleware), other people's within this time.
WORK_QUEUE_CACHE_SECONDS = env.int("WORK_QUEUE_CACHE_SECONDS", default=30)
EXPORT_ROOT = Path(env("EXPORT_ROOT", default=str(BASE_DIR / "var" / "exports")))  # the jobs' files
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)  # a finished file is deleted after this

# django-import-export: every import is one transaction, all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
