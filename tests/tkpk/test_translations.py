"""Every visible string has its Indonesian translation, and the compiled catalog is current."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCES = ["manage.py", "tkpk", "households", "programs", "partners", "reports", "templates"]


@pytest.fixture(scope="module")
def gettext_tools():
    if not shutil.which("xgettext") or not shutil.which("msgattrib"):
        if os.environ.get("CI"):
            pytest.fail("gettext is required in CI (apt-get install gettext)")
        pytest.skip("gettext tools are not installed")


def untranslated(po: Path) -> str:
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout + fuzzy.stdout


def test_catalog_covers_every_string_in_the_code(gettext_tools, tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "id", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tkpk.settings"},
    )
    missing = untranslated(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po")
    assert missing == "", f"Run `make messages` and translate:\n{missing}"


def test_compiled_catalog_matches_the_po_file(gettext_tools, tmp_path):
    assert untranslated(PO) == ""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    committed = gettext.GNUTranslations(MO.open("rb"))._catalog
    expected = gettext.GNUTranslations(fresh.open("rb"))._catalog
    assert committed == expected, "Run `make messages` to recompile locale/id/.../django.mo"
