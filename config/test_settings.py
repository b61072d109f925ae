"""Test overrides: fast hashing, in-memory cache and mail, eager tasks. Database from DATABASE_URL."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
LINLI_SMS_BACKEND = "linli.accounts.sms.MemorySmsBackend"
LANGUAGE_CODE = "zh-hans"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests open and close connections in threads (concurrency proofs); don't keep them around.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
