"""Test settings: the real settings, with only what tests need changed."""

from tkpk.settings import *  # noqa: F403

# Hashing passwords at full strength would dominate the suite's time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
