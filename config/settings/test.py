"""Test settings: fast hashing, in-memory email, plain static storage."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Tasks run in-process in tests even when REDIS_URL names a real broker; the one test that
# starts a real worker (tests/test_celery_worker.py) switches this off for itself.
CELERY_TASK_ALWAYS_EAGER = True
# Each test process keeps its own cache: tests clear it, and must not flush a Redis shared with a broker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
