"""linli settings: one file, every deploy-time value from the environment (healthchecks style).

Defaults give a working demo on SQLite with no services. Production sets DJANGO_DEBUG=False,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and REDIS_URL.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET = "linli-dev-insecure-secret-key-change-me"


def envbool(name: str, default: str) -> bool:
    """Read a boolean strictly: only True/False (any case) or 1/0 are accepted."""
    value = os.getenv(name, default).strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, got {value!r}")


def envint(name: str, default: int) -> int:
    try:
        return int(os.getenv(name, str(default)))
    except ValueError as e:
        raise ImproperlyConfigured(f"{name} must be an integer") from e


DEBUG = envbool("DJANGO_DEBUG", "True")
SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", DEV_SECRET)
ALLOWED_HOSTS = [
    h for h in os.getenv("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
if not DEBUG and (SECRET_KEY == DEV_SECRET or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off: set DJANGO_SECRET_KEY to a real secret of at least 32 characters."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "linli.core",
    "linli.accounts",
    "linli.community",
    "linli.shops",
    "linli.catalog",
    "linli.inventory",
    "linli.orders",
    "linli.procurement",
    "linli.reports",
    "linli.planning",
    "linli.demo",
    "linli.payments",
    "linli.lockers",
    "linli.delivery",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "linli.core.middleware.LinliErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
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
                "linli.core.context_processors.linli",
                "linli.orders.context_processors.cart",
            ],
        },
    }
]

# Database: SQLite (WAL, IMMEDIATE transactions so writers serialise at BEGIN) unless DATABASE_URL.
DATABASE_URL = os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Persistent connections (checked before reuse): opening one costs more than most requests.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Hot paths (linli.core.sql.hot_cursor) bind on the server and get prepared from the 5th run,
    # sparing PostgreSQL the planning; Django's own cursors are unaffected. Behind pgbouncer in
    # transaction mode set LINLI_DB_PREPARE_THRESHOLD=off.
    threshold = os.getenv("LINLI_DB_PREPARE_THRESHOLD", "5")
    prepared = threshold.lower() not in {"off", "none", ""}
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        int(threshold) if prepared else None
    )
    if prepared:
        # Prepared statements keep one generic plan. PostgreSQL would otherwise re-plan the
        # checkout's one-statement write (ADR 0007) on every run: its cost estimate for arrays
        # of unknown length makes the generic plan look dearer than it is, and planning that
        # statement costs more than running it.
        DATABASES["default"]["OPTIONS"]["options"] = "-c plan_cache_mode=force_generic_plan"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "linli.accounts.backends.PhonePasswordBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis broker when REDIS_URL is set, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", REDIS_URL) or "memory://"
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND", REDIS_URL) or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not (os.getenv("CELERY_BROKER_URL") or REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("LINLI_MEDIA_ROOT", str(BASE_DIR / "media")))

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"linli": {"handlers": ["console"], "level": os.getenv("LINLI_LOG_LEVEL", "INFO")}},
}

# --- linli domain settings (DOMAIN.md numbers are defaults here, not constants in code) ---
# SMS login: which backend delivers codes; "console" prints them (demo, tests).
LINLI_SMS_BACKEND = os.getenv("LINLI_SMS_BACKEND", "linli.accounts.sms.ConsoleSmsBackend")
LINLI_SMS_CODE_TTL_SECONDS = envint("LINLI_SMS_CODE_TTL_SECONDS", 300)
LINLI_SMS_MAX_SENDS_PER_HOUR = envint("LINLI_SMS_MAX_SENDS_PER_HOUR", 5)
LINLI_SMS_MAX_WRONG_TRIES = envint("LINLI_SMS_MAX_WRONG_TRIES", 5)
LINLI_SMS_LOCKOUT_SECONDS = envint("LINLI_SMS_LOCKOUT_SECONDS", 3600)
# Walking speed (km/h) and circle size (minutes) for the 15-minute engine.
LINLI_WALK_SPEED_KMH = float(os.getenv("LINLI_WALK_SPEED_KMH", "4.5"))
LINLI_CIRCLE_MINUTES = envint("LINLI_CIRCLE_MINUTES", 15)
# Orders: unpaid checkouts release their stock after this many minutes; line and pickup limits.
LINLI_UNPAID_ORDER_MINUTES = envint("LINLI_UNPAID_ORDER_MINUTES", 15)
LINLI_MAX_LINE_QUANTITY = envint("LINLI_MAX_LINE_QUANTITY", 99)
LINLI_PICKUP_MAX_TRIES = envint("LINLI_PICKUP_MAX_TRIES", 5)
# Square metres of residential floor area per household when OSM gives no count.
LINLI_M2_PER_HOUSEHOLD = envint("LINLI_M2_PER_HOUSEHOLD", 90)

# Periodic jobs (celery beat): unpaid orders, expired claims and lots, stale payments.
CELERY_BEAT_SCHEDULE = {
    "orders-expire-unpaid": {"task": "orders.expire_unpaid", "schedule": 60.0},
    "payments-close-expired": {
        "task": "linli.payments.tasks.payments_close_expired_task",
        "schedule": 300.0,
    },
    "inventory-expire-lots": {"task": "inventory.tasks.expire_lots", "schedule": 3600.0},
    "delivery-slots-daily": {"task": "delivery.slots_daily", "schedule": crontab(hour=0, minute=5)},
    "procurement-close-rounds": {"task": "procurement.tasks.close_due_rounds", "schedule": 60.0},
    "inventory-stock-alerts": {"task": "inventory.tasks.stock_alerts", "schedule": 86400.0},
    "lockers-every-10-min": {"task": "lockers.sweep", "schedule": 600.0},
    "lockers-station-daily": {
        "task": "lockers.station_daily",
        "schedule": crontab(hour=9, minute=0),
    },
}

# Lockers and the parcel station (defaults in linli/lockers/conf.py: 12 h free, ¥0.5 per 12 h,
# cap ¥3, 2026 public holidays free, kept 4 days; station keeps parcels 7 days).
LINLI_LOCKER_FREE_HOURS = envint("LINLI_LOCKER_FREE_HOURS", 12)
LINLI_LOCKER_FEE_PER_PERIOD_FEN = envint("LINLI_LOCKER_FEE_PER_PERIOD_FEN", 50)
LINLI_LOCKER_FEE_CAP_FEN = envint("LINLI_LOCKER_FEE_CAP_FEN", 300)
LINLI_LOCKER_KEEP_HOURS = envint("LINLI_LOCKER_KEEP_HOURS", 96)
LINLI_STATION_KEEP_DAYS = envint("LINLI_STATION_KEEP_DAYS", 7)

# Payments: enabled gateways (comma list), the sandbox's signing secret, WeChat Pay v3 and Alipay.
# Key settings hold the PEM itself or a path to a PEM file. See .env.example.
# The sandbox takes no money: on by default only with DEBUG, so a production deploy names its gateways.
LINLI_PAYMENTS_GATEWAYS = [
    g.strip()
    for g in os.getenv("LINLI_PAYMENTS_GATEWAYS", "sandbox" if DEBUG else "").split(",")
    if g.strip()
]
LINLI_PAYMENTS_SANDBOX_SECRET = os.getenv("LINLI_PAYMENTS_SANDBOX_SECRET", "") or (
    SECRET_KEY + ":payments-sandbox"
)
LINLI_PAYMENTS_SANDBOX_NOTIFY_URL = os.getenv("LINLI_PAYMENTS_SANDBOX_NOTIFY_URL", "")
LINLI_PAYMENTS_UNPAID_CLOSE_MINUTES = envint("LINLI_PAYMENTS_UNPAID_CLOSE_MINUTES", 30)
LINLI_PAYMENTS_WECHAT_APPID = os.getenv("LINLI_PAYMENTS_WECHAT_APPID", "")
LINLI_PAYMENTS_WECHAT_MCHID = os.getenv("LINLI_PAYMENTS_WECHAT_MCHID", "")
LINLI_PAYMENTS_WECHAT_PRIVATE_KEY = os.getenv("LINLI_PAYMENTS_WECHAT_PRIVATE_KEY", "")
LINLI_PAYMENTS_WECHAT_CERT_SERIAL_NO = os.getenv("LINLI_PAYMENTS_WECHAT_CERT_SERIAL_NO", "")
LINLI_PAYMENTS_WECHAT_APIV3_KEY = os.getenv("LINLI_PAYMENTS_WECHAT_APIV3_KEY", "")
LINLI_PAYMENTS_WECHAT_PUBLIC_KEY = os.getenv("LINLI_PAYMENTS_WECHAT_PUBLIC_KEY", "")
LINLI_PAYMENTS_WECHAT_PUBLIC_KEY_ID = os.getenv("LINLI_PAYMENTS_WECHAT_PUBLIC_KEY_ID", "")
LINLI_PAYMENTS_WECHAT_NOTIFY_URL = os.getenv("LINLI_PAYMENTS_WECHAT_NOTIFY_URL", "")
LINLI_PAYMENTS_WECHAT_MODE = os.getenv("LINLI_PAYMENTS_WECHAT_MODE", "native")
LINLI_PAYMENTS_ALIPAY_APPID = os.getenv("LINLI_PAYMENTS_ALIPAY_APPID", "")
LINLI_PAYMENTS_ALIPAY_APP_PRIVATE_KEY = os.getenv("LINLI_PAYMENTS_ALIPAY_APP_PRIVATE_KEY", "")
LINLI_PAYMENTS_ALIPAY_PUBLIC_KEY = os.getenv("LINLI_PAYMENTS_ALIPAY_PUBLIC_KEY", "")
LINLI_PAYMENTS_ALIPAY_NOTIFY_URL = os.getenv("LINLI_PAYMENTS_ALIPAY_NOTIFY_URL", "")
LINLI_PAYMENTS_ALIPAY_RETURN_URL = os.getenv("LINLI_PAYMENTS_ALIPAY_RETURN_URL", "")
LINLI_PAYMENTS_ALIPAY_SANDBOX = envbool("LINLI_PAYMENTS_ALIPAY_SANDBOX", "False")
