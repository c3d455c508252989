import io

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tkpk.models import Role, User
from tkpk.services import user_save
from tkpk.validators import PasswordContainsUserValidator

CONTAINS_USERNAME = "Kata sandi tidak boleh memuat nama pengguna"


def person(**fields):
    return User(**{"username": "korban3", "name": "", "email": "", **fields})


@pytest.mark.parametrize(
    "password",
    [
        "korban3korban3",  # passes Django's similarity ratio
        "KORBAN3-kantor-2026",
        "rahasia.korban3",
        "Korban_3-sandi-baru",  # punctuation inside does not hide it
        "3nabrok-kantor-2026",  # reversed
    ],
)
def test_a_password_holding_the_username_is_refused(password):
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password, person())
    assert CONTAINS_USERNAME in " ".join(refused.value.messages)


def test_a_password_holding_the_full_name_or_the_email_name_is_refused():
    wakil = person(username="wabup", name="Wakil Bupati", email="wakil.bupati@kotabaru.go.id")
    with pytest.raises(ValidationError, match="memuat nama,"):
        password_validation.validate_password("wakilbupati!2026", wakil)
    operator = person(username="opd7", email="siti.rahma@kotabaru.go.id")
    with pytest.raises(ValidationError, match="memuat alamat email"):
        password_validation.validate_password("SitiRahma#2026", operator)


@pytest.mark.parametrize(
    "password", ["kata-sandi-uji-9173", "rahasia-yang-cukup-panjang-7", "Bakau!Tarjun-1957"]
)
def test_good_passwords_still_pass(password):
    user = person(name="Wakil Bupati Kotabaru", email="korban3@kotabaru.go.id")
    password_validation.validate_password(password, user)


def test_very_short_usernames_do_not_refuse_every_password():
    PasswordContainsUserValidator().validate("kota-baru-bersatu-2026", person(username="ko"))


def test_help_text_names_the_rule():
    assert "tidak boleh memuat nama pengguna" in " ".join(
        password_validation.password_validators_help_texts()
    )


@pytest.mark.django_db
def test_user_save_refuses_the_password_and_keeps_the_old_one(users):
    operator = users[Role.AGENCY]
    with pytest.raises(ValidationError) as refused:
        user_save(
            user=operator,
            password=f"{operator.username}{operator.username}",
            by=users[Role.SECRETARIAT],
        )
    assert CONTAINS_USERNAME in refused.value.message_dict["password"][0]
    operator.refresh_from_db()
    assert operator.check_password("kata-sandi-uji-9173")

    created = user_save(
        user=User(username="korban3", role=Role.LEADER),
        password="Bakau!Tarjun-1957",
        by=users[Role.SECRETARIAT],
    )
    assert created.check_password("Bakau!Tarjun-1957")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_createsuperuser_asks_again_for_a_password_holding_the_username(monkeypatch):
    from django.contrib.auth.management.commands import createsuperuser

    passwords = iter(["korban3korban3", "korban3korban3", "Bakau!Tarjun-1957", "Bakau!Tarjun-1957"])
    monkeypatch.setattr(createsuperuser.getpass, "getpass", lambda prompt="": next(passwords))
    # "Bypass password validation and create user anyway?" — no.
    monkeypatch.setattr("builtins.input", lambda prompt="": "n")
    errors = io.StringIO()
    call_command(
        "createsuperuser",
        username="korban3",
        email="admin@kotabaru.go.id",
        interactive=True,
        stdin=Terminal(),
        stdout=io.StringIO(),
        stderr=errors,
    )
    assert CONTAINS_USERNAME in errors.getvalue()
    admin = User.objects.get(username="korban3")
    assert admin.role == Role.ADMIN
    assert admin.check_password("Bakau!Tarjun-1957")
    assert not admin.check_password("korban3korban3")
