"""Settings, from the environment. Defaults give the embedded set-up: SQLite and the in-memory layer.

Scale-out: DATABASE_URL=postgres://... and REDIS_URL=redis://... (see docs/deploy.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

from negotiation_game.origins import derive as derive_origins
from negotiation_game.origins import normalise as normalise_origin
from negotiation_game.secret_key import read_or_create

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


# DEBUG only when asked for (`make dev`, or DJANGO_DEBUG=1): `make run`, `make room` and deployments run without it.
DEBUG = _env_bool("DJANGO_DEBUG", False)
# DJANGO_SECRET_KEY, or the install's own key: generated on first start into an ignored local file.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or read_or_create(
    Path(os.environ.get("DJANGO_SECRET_KEY_FILE") or BASE_DIR / ".secret_key")
)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Served over https behind a TLS proxy (the production shape, docs/deploy.md): secure cookies, HSTS, the
# redirect to https and hashed static files. Off, the server speaks plain http on a laptop or a room's
# local network (`make run`, `make room`).
HTTPS = _env_bool("DJANGO_HTTPS", False)
# The origins (scheme://host[:port]) whose pages may open a websocket here, matched exactly
# (negotiation_game/origins.py): DJANGO_ALLOWED_ORIGINS, or else every allowed host at the scheme and
# port(s) browsers use to reach it -- https on 443 behind the proxy, http on DJANGO_PUBLIC_PORTS
# (comma-separated; `make run` and `make room` pass the port they serve on) otherwise.
_PUBLIC_PORTS = [int(p) for p in os.environ.get("DJANGO_PUBLIC_PORTS", "443" if HTTPS else "8000").split(",") if p]
ALLOWED_ORIGINS = [o for o in os.environ.get("DJANGO_ALLOWED_ORIGINS", "").split(",") if o] or derive_origins(
    ALLOWED_HOSTS, https=HTTPS, ports=_PUBLIC_PORTS
)
if _bad_origins := [o for o in ALLOWED_ORIGINS if normalise_origin(o) is None]:
    raise RuntimeError(f"DJANGO_ALLOWED_ORIGINS: not an origin (scheme://host[:port]): {', '.join(_bad_origins)}")
# The address trainees join at (scheme://host:port), shown with its QR code on the console; `make room`
# sets it to the machine's local-network address. Unset, the console shows the address it was opened at.
PUBLIC_ORIGIN = os.environ.get("DJANGO_PUBLIC_ORIGIN", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "game",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Each person's language: the language cookie (set by the switch on every page), else the
    # browser's Accept-Language, else LANGUAGE_CODE. After sessions, before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into game.throttle.login_locked_out.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    "django.contrib.auth.backends.ModelBackend",
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
                "django.template.context_processors.i18n",  # LANGUAGES for the switch, LANGUAGE_CODE for <html lang>
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
WSGI_APPLICATION = None
ASGI_APPLICATION = "negotiation_game.asgi.application"

# SQLite needs IMMEDIATE transactions and WAL, or concurrent moves fail with "database is locked"
# PostgreSQL comes from DATABASE_URL.
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
# Across processes, Redis publish/subscribe: a group_send is one PUBLISH and
# each process gets one copy to hand to its own sockets, fewer round trips per message than the
# list-based core layer (docs/performance.md). Pub/sub is at-most-once -- the core layer also drops, over capacity --
# and either way the event log is the truth: clients see a gap in `seq` and catch up from it.
# redis-py 8 needs socket_timeout=None or idle connections are dropped.
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
    # game.realtime.layers: Channels' layer with its O(sockets) expiry sweep run once a second, not per
    # message (docs/performance.md, "Decisions").
    CHANNEL_LAYERS = {"default": {"BACKEND": "game.realtime.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}}

# --- workshops and the realtime layer (game/realtime; docs/protocol.md) ---------------------------
WORKSHOP_MAX_TABLES = int(os.environ.get("WORKSHOP_MAX_TABLES", "30"))
WORKSHOP_CODE_TTL_HOURS = int(os.environ.get("WORKSHOP_CODE_TTL_HOURS", "24"))
SEAT_COOKIE_MAX_AGE = 7 * 24 * 3600  # seconds a browser keeps its signed seat cookie
REALTIME_MAX_FRAME_BYTES = 16 * 1024  # larger client frames are refused before they are parsed
# daphne's own limit (`manage.py serve` passes it): a larger message closes the connection unanswered,
# a smaller one over REALTIME_MAX_FRAME_BYTES gets a protocol/too_large error frame.
REALTIME_SERVER_MAX_MESSAGE_BYTES = int(os.environ.get("REALTIME_SERVER_MAX_MESSAGE_BYTES", str(16 * 1024 * 1024)))
REALTIME_RATE_PER_SECOND = 10.0  # per-connection token bucket
REALTIME_RATE_BURST = 20
REALTIME_PAGE_EVENTS = 100  # the most events one server frame carries (welcome, snapshot, page): frames stay small
REALTIME_SEAT_CHATS_PER_MINUTE = 20  # team chat per seat, across all its connections, counted from the log
REALTIME_SUMMARY_SETTLE = 0.25  # a table's changes within this many seconds reach the console as one summary
REALTIME_PRESENCE_SETTLE = 0.05  # presence changes within this many seconds go out as one frame per table
REALTIME_PRESENCE_TTL = 120.0  # seconds without a sign of life before a connection stops counting as present
REALTIME_SEEN_SETTLE = 1.0  # signs of life within this many seconds are written in one statement
REALTIME_ANNOTATIONS_SETTLE = 0.05  # a table's moves within this many seconds are scored and annotated once
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

# --- abuse limits (game/throttle.py, game/clients.py; docs/deploy.md) ------------------------------
# How many proxies stand in front of the server and append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
# Most seats of one workshop that one network address may hold (a workshop's settings may change it).
WORKSHOP_SEATS_PER_NETWORK = int(os.environ.get("WORKSHOP_SEATS_PER_NETWORK", "12"))
# Per action: at most `limit` attempts per `period` seconds, per address and per browser (client id).
# A room of 40 behind one address must get through a join in a minute. `what` completes the refusal's
# sentence "Too many attempts to <what> from here" (game/throttle.py), in the request's language.
THROTTLES = {
    "join_lookup": {"limit": 120, "period": 60, "what": gettext_lazy("look up a join code")},
    "seat_claim": {"limit": 60, "period": 60, "what": gettext_lazy("take a seat")},
    "seat_claim_client": {"limit": 10, "period": 60, "what": gettext_lazy("take a seat")},
    "practice_create": {"limit": 60, "period": 600, "what": gettext_lazy("start a practice game")},
    "practice_create_client": {"limit": 10, "period": 600, "what": gettext_lazy("start a practice game")},
    "signup": {"limit": 30, "period": 3600, "what": gettext_lazy("create an account")},
    "login": {"limit": 30, "period": 600, "what": gettext_lazy("sign in")},
}
# Shared by every server process when Redis is there (throttle counts, axes' cache); else per process.
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"],
                          "KEY_PREFIX": os.environ.get("REDIS_PREFIX", "asgi")}}
# Facilitator sign-in: AXES_FAILURE_LIMIT wrong passwords for one username from one address lock
# that pair out for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "game.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "game.throttle.login_locked_out"
AXES_VERBOSE = False
# Replays (game/replays/exchange.py): files above this size are refused before they are read; a
# key shared with other installations verifies their exports (unset: they import as "unverified").
REPLAY_MAX_BYTES = int(os.environ.get("REPLAY_MAX_BYTES", str(8 * 1024 * 1024)))
REPLAY_SHARED_KEY = os.environ.get("REPLAY_SHARED_KEY", "")

# Content Security Policy (django-csp): no inline script anywhere, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # style attributes in templates; never script
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/facilitator/login/"
LOGIN_REDIRECT_URL = "/facilitator/"

# The interface in English and Vietnamese; the catalogues are locale/<lang>/LC_MESSAGES/django.po
# (templates, Python) and djangojs.po (the pages' scripts, served by /jsi18n/), with their compiled
# .mo committed beside them (docs/translation.md). The choice is per person: a language cookie.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # remembered for a year: a workshop series outlasts a session
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HTTPS
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Behind the TLS proxy: the files `collectstatic` hashed and compressed into STATIC_ROOT, cached for ever
# by browsers. Served directly (`make run`, `make room`, tests): the files of static/ as they are, found
# by whitenoise at start-up, with DEBUG on or off -- nothing to collect, so no STATIC_ROOT to look in.
STATIC_ROOT = BASE_DIR / "staticfiles" if HTTPS else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if HTTPS
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not HTTPS
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if HTTPS:
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
    "filters": {"without_traceback": {"()": "negotiation_game.origins.WithoutTraceback"}},
    "formatters": {"refused": {"format": "Refused an HTTP request: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "refused": {"class": "logging.StreamHandler", "filters": ["without_traceback"], "formatter": "refused"},
    },
    "loggers": {
        "django.security.DisallowedHost": {"handlers": ["refused"], "propagate": False},
        # django-axes notes every sign-in at INFO; its lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
