import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    environment["DJANGO_SETTINGS_MODULE"] = "tkpk.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x7Qp" * 10,
    "DJANGO_ALLOWED_HOSTS": "tkpk.kotabarukab.go.id",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://tkpk.kotabarukab.go.id",
}


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_region_code_must_be_a_regency_code():
    result = manage("check", TKPK_REGION_CODE="6302")
    assert result.returncode != 0
    assert "TKPK_REGION_CODE" in result.stderr


def test_report_deadline_day_must_be_a_day_every_month_has():
    result = manage("check", TKPK_REPORT_DEADLINE_DAY="31")
    assert result.returncode != 0
    assert "TKPK_REPORT_DEADLINE_DAY" in result.stderr


def test_defaults_are_indonesian_and_wita(settings):
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Makassar"
    assert dict(settings.LANGUAGES).keys() == {"id", "en"}


SMOKE = """
import re
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="tkpk.kotabarukab.go.id")
page = client.get("/masuk/", secure=True)
assert page.status_code == 200, page.status_code
assert "max-age" in page["Strict-Transport-Security"]
HASHED = r'href="(/static/vendor/bootstrap/bootstrap\\.min\\.[0-9a-f]{12}\\.css)"'
css = re.search(HASHED, page.text)
assert css, "static files are not served under hashed names"
assert client.get(css.group(1), secure=True).status_code == 200
assert client.get("/masuk/").status_code == 301  # plain HTTP goes to HTTPS
print("deployed ok")
"""


def test_production_serves_pages_and_collected_static_files(tmp_path):
    env = {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        result = manage(*command, **env)
        assert result.returncode == 0, result.stderr
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    smoke = subprocess.run(
        [sys.executable, "-c", SMOKE],
        cwd=ROOT,
        env={**environment, **env, "DJANGO_SETTINGS_MODULE": "tkpk.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert smoke.returncode == 0, smoke.stderr
    assert "deployed ok" in smoke.stdout
