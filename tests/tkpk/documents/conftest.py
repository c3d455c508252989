import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Each test stores and keeps its documents in its own directory."""
    settings.MEDIA_ROOT = tmp_path
