"""Test settings: fast hashing, in-memory email, plain static storage."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / ".test-media")  # noqa: F405
# Tasks run in-process in tests even when REDIS_URL names a real broker; tests that start a real
# worker switch this off for themselves, and worker processes they start set CONCORD_TASKS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CONCORD_TASKS_EAGER", default=True)  # noqa: F405
# Each test process keeps its own cache: tests clear it, and must not flush a Redis shared with a broker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
