"""Test settings: the real settings, with only what tests need changed."""

import tempfile
from pathlib import Path

from tkpk.settings import *  # noqa: F403

# Hashing passwords at full strength would dominate the suite's time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Background tasks run at once, inside the request or command that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Uploaded DTSEN files and error reports go to a throwaway directory.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tkpk-test-media-"))
