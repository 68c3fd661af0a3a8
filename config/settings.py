"""dagsim settings, read from environment variables (see README.md, "Configuration").

Local defaults need nothing set: SQLite, DEBUG on, the in-memory channel layer and the in-process
run executor. A deployment sets DEBUG=0 and must then name SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, logger_levels

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off dagsim needs a long random SECRET_KEY, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Only ever used with DEBUG on, which is meant for one person's machine.
    SECRET_KEY = "dagsim-local-development-key-not-for-deployment-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG off list the host names dagsim is served under, "
        "comma-separated, e.g. ALLOWED_HOSTS=dagsim.example.com"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # daphne first: it makes `runserver` serve the ASGI application (websockets included).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served locally, not from a CDN
    "channels",
    "editor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "editor.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# --- Database: SQLite unless DATABASE_URL names another (PostgreSQL in deployments and CI).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # 0 closes the connection after each request: the safe choice under daphne, where
        # requests run on a thread pool and a kept connection would belong to a worker thread.
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Live runs write from the web server's executor threads while requests write too: take
    # the write lock when a transaction begins (no deadlocked lock upgrades) and wait for it;
    # WAL lets readers (websocket snapshots) go on during a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")

# --- Cache: throttling counts requests here, so processes must share it in a deployment.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "dagsim",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Channels: live run events reach browsers through the channel layer.
if REDIS_URL:
    # Pub/sub: a group message is one PUBLISH that Redis pushes to each web server at once
    # (the list-based RedisChannelLayer takes four round trips and a Lua script per message).
    # Delivery is at most once; run events don't need more, since every consumer refills a
    # gap or a quiet spell from the RunEvent log (editor/consumers.py). Pub/sub ignores Redis
    # database numbers, which is why editor/stream.py names groups after the database.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # socket_timeout well above the layer's 0.1 s polling reads, so an idle feed's
            # connection is never dropped for being quiet; the name tells these connections
            # apart in Redis's CLIENT LIST.
            "CONFIG": {
                "hosts": [
                    {"address": REDIS_URL, "socket_timeout": 30, "client_name": "dagsim-events"}
                ]
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Celery: live runs go to Celery workers when a broker is configured, else they run in the
# web process ("inprocess"). RUN_EXECUTOR overrides the choice.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL
CELERY_RESULT_BACKEND = None  # tasks report through the database (RunEvent), not results
CELERY_TASK_ACKS_LATE = True
# A try whose worker process dies goes back to the queue for another worker.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers keep their database connection across tasks (Celery would otherwise open one per
# task, which costs more than a live run's step); it is renewed every 1,000 tasks.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 500)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Deployments (or test stacks) sharing one broker keep their tasks apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
RUN_EXECUTOR = env_str("RUN_EXECUTOR", "celery" if CELERY_BROKER_URL else "inprocess")
if RUN_EXECUTOR not in {"celery", "inprocess"}:
    raise ImproperlyConfigured(f"RUN_EXECUTOR={RUN_EXECUTOR!r}: use 'celery' or 'inprocess'")
if RUN_EXECUTOR == "celery" and not CELERY_BROKER_URL:
    raise ImproperlyConfigured("RUN_EXECUTOR=celery needs CELERY_BROKER_URL or REDIS_URL")
# The sweep requeues live runs whose next step is more than LIVE_SWEEP_GRACE_S late (a worker
# died holding their tries), every LIVE_SWEEP_INTERVAL_S: in the web server with the in-process
# executor, through `celery -A config beat` with Celery.
LIVE_SWEEP_INTERVAL_S = env_int("LIVE_SWEEP_INTERVAL_S", 5)
LIVE_SWEEP_GRACE_S = env_int("LIVE_SWEEP_GRACE_S", 10)
# A run still overdue at the same point after this long is ended as failed by the sweep.
LIVE_STALL_S = env_int("LIVE_STALL_S", 900)
LIVE_INPROCESS_THREADS = env_int("LIVE_INPROCESS_THREADS", 2)
CELERY_BEAT_SCHEDULE = {
    "sweep-live-runs": {"task": "editor.sweep_live_runs", "schedule": LIVE_SWEEP_INTERVAL_S},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dag-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files: whitenoise serves them from the ASGI app; the front end is built by Vite
# into static/dist/ and found through its manifest (editor/templatetags/vite.py).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
VITE_MANIFEST = BASE_DIR / "static" / "dist" / ".vite" / "manifest.json"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Locally files are found on each request (no collectstatic needed, a rebuild shows at once).
WHITENOISE_AUTOREFRESH = DEBUG

# --- Request size: DAG documents are small; a larger body is refused with 413 before parsing.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

REST_FRAMEWORK = {
    # Token first: an anonymous request then gets 401 with `WWW-Authenticate: Token`, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "editor.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "editor.pagination.Pagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    "DEFAULT_THROTTLE_CLASSES": [
        "editor.throttles.AnonRateThrottle",
        "editor.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "60/minute"),
        "user": env_str("THROTTLE_USER", "1200/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "editor.errors.exception_handler",
    # `?format=` names an export format (svg, png, airflow...), not a DRF renderer.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "dagsim API",
    "DESCRIPTION": "Store Airflow-style DAGs, validate them and simulate their runs.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "editor.schema.add_common_responses",
        "editor.live_schema.add_live_frames",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RunStateEnum": "editor.models.RunState",
        "TaskStateEnum": "editor.models.TaskState",
    },
}

# --- Security: strict when DEBUG is off, so that `manage.py check --deploy` passes. Behind a
# TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Levels of single loggers, e.g. LOG_LEVELS=editor.stream=DEBUG (each broadcast's commit
    # time, which scripts/bench_live.py reads).
    "loggers": logger_levels(env_list("LOG_LEVELS")),
}
