"""Settings, from the environment. Defaults give the embedded set-up: SQLite and the in-memory layer.

Scale-out: DATABASE_URL=postgres://... and REDIS_URL=redis://... (see docs/deploy.md).
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-change-me" if DEBUG else None
)
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "game",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "negotiation_game.urls"
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
            ],
        },
    },
]
WSGI_APPLICATION = None
ASGI_APPLICATION = "negotiation_game.asgi.application"

# SQLite needs IMMEDIATE transactions and WAL, or concurrent moves fail with "database is locked"
# (realtime-notes, trap 5). PostgreSQL comes from DATABASE_URL.
_SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
}
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": _SQLITE_OPTIONS,
            # Keep the connection: reopening it (and re-running the PRAGMAs) cost ~2 ms per ORM call
            # on the one database thread (measured: a move's fan-out went from 20 ms to a few).
            "CONN_MAX_AGE": None,
        }
    }

# The in-memory layer is per process: the embedded default must run exactly one server process
# (realtime-notes, trap 4). Across processes, Redis publish/subscribe: a group_send is one PUBLISH and
# each process gets one copy to hand to its own sockets, where the list-based core layer made about
# six round trips per message (group lookup, expiry sweep, Lua push, then a blocking pop and a backup
# clean-up in every receiving process). Under the bench's load that halved the game's p99 and its
# burst (docs/performance.md). Pub/sub is at-most-once -- the core layer also drops, over capacity --
# and either way the event log is the truth: clients see a gap in `seq` and catch up from it (trap 3).
# redis-py 8 needs socket_timeout=None or idle connections are dropped (trap 1).
if os.environ.get("REDIS_URL"):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": os.environ["REDIS_URL"], "socket_timeout": None, "max_connections": 1000}],
                # Separate deployments (or test runs) sharing one Redis must not share channel names.
                "prefix": os.environ.get("REDIS_PREFIX", "asgi"),
            },
        }
    }
else:
    # game.realtime.layers: the same layer with its O(sockets) expiry sweep run once a second, not per message.
    CHANNEL_LAYERS = {"default": {"BACKEND": "game.realtime.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}}

# --- workshops and the realtime layer (game/realtime; docs/protocol.md) ---------------------------
WORKSHOP_MAX_TABLES = int(os.environ.get("WORKSHOP_MAX_TABLES", "30"))
WORKSHOP_CODE_TTL_HOURS = int(os.environ.get("WORKSHOP_CODE_TTL_HOURS", "24"))
SEAT_COOKIE_MAX_AGE = 7 * 24 * 3600  # seconds a browser keeps its signed seat cookie
REALTIME_MAX_FRAME_BYTES = 16 * 1024  # larger client frames are refused before they are parsed (trap 7)
# daphne's own limit (`manage.py serve` passes it): a larger message closes the connection unanswered,
# a smaller one over REALTIME_MAX_FRAME_BYTES gets a protocol/too_large error frame.
REALTIME_SERVER_MAX_MESSAGE_BYTES = int(os.environ.get("REALTIME_SERVER_MAX_MESSAGE_BYTES", str(16 * 1024 * 1024)))
REALTIME_RATE_PER_SECOND = 10.0  # per-connection token bucket (trap 8)
REALTIME_RATE_BURST = 20
REALTIME_PAGE_EVENTS = 100  # the most events one server frame carries (welcome, snapshot, page): frames stay small
REALTIME_SEAT_CHATS_PER_MINUTE = 20  # team chat per seat, across all its connections, counted from the log
REALTIME_SUMMARY_SETTLE = 0.25  # a table's changes within this many seconds reach the console as one summary
REALTIME_PRESENCE_SETTLE = 0.05  # presence changes within this many seconds go out as one frame per table
REALTIME_PRESENCE_TTL = 120.0  # seconds without a sign of life before a connection stops counting as present
REALTIME_SEEN_SETTLE = 1.0  # signs of life within this many seconds are written in one statement
REALTIME_ANNOTATIONS_SETTLE = 0.05  # a table's moves within this many seconds are scored and annotated once
REALTIME_ACK_AT_MOST_AFTER = 0.5  # seconds a move's ack waits for its update's notification before going out alone
REALTIME_BOT_MOVES_PER_TRIGGER = 80  # bound on bot moves set off by one human move, tick or control (no loops)
REALTIME_BOT_DECIDE = os.environ.get("REALTIME_BOT_DECIDE", "game.bots.decide")  # dotted path of decide()
REALTIME_TIMERS_IN_SERVER = _env_bool("REALTIME_TIMERS_IN_SERVER", True)  # start the clock lazily in each server process
REALTIME_TIMER_INTERVAL = float(os.environ.get("REALTIME_TIMER_INTERVAL", "1.0"))
# On PostgreSQL, moves and log reads run on this many threads (own connections) instead of the one
# shared database thread: see game/realtime/dbpool.py. SQLite always uses the one thread.
REALTIME_DB_THREADS = int(os.environ.get("REALTIME_DB_THREADS", "4"))
# A server process's interpreter (game/realtime/process.py): GIL switch interval (CPython's default
# is 0.005 s) and the collection threshold of the youngest GC generation (CPython's is 700; 0 leaves
# the collector as CPython sets it).
REALTIME_GIL_SWITCH_INTERVAL = float(os.environ.get("REALTIME_GIL_SWITCH_INTERVAL", "0.0005"))
REALTIME_GC_THRESHOLD = int(os.environ.get("REALTIME_GC_THRESHOLD", "10000"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/facilitator/login/"
LOGIN_REDIRECT_URL = "/facilitator/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "3600"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
