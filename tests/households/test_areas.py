import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from households.areas import AreaCodeError, area_level, is_within, parent_code
from households.models import Area, AreaLevel
from tests.factories import AreaFactory


@pytest.mark.parametrize(
    ("code", "level"),
    [("63", 1), ("63.02", 2), ("63.02.17", 3), ("63.02.17.2003", 4), ("63.71.01.1001", 4)],
)
def test_area_level_follows_the_code(code, level):
    assert area_level(code) == level


@pytest.mark.parametrize(
    "code",
    [
        "",
        "6",
        "630",
        "6302",
        "63.2",
        "63.02.1",
        "63.02.17.203",
        "6302172003",
        "63-02",
        "63.02.",
        "63.00",
        "00",
        "63.02.17.0000",
        " 63",
        "63.02.17.2003.1",
    ],
)
def test_malformed_area_codes_are_refused(code):
    with pytest.raises(AreaCodeError):
        area_level(code)


@given(
    st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=3),
    st.integers(min_value=1, max_value=9999),
)
def test_every_code_has_its_parent_one_level_up(parts, village):
    code = (
        ".".join(f"{p:02d}" for p in parts) + f".{village:04d}"
        if len(parts) == 3
        else ".".join(f"{p:02d}" for p in parts)
    )
    level = area_level(code)
    parent = parent_code(code)
    if level == 1:
        assert parent is None
    else:
        assert area_level(parent) == level - 1
        assert is_within(code, parent)
        assert not is_within(parent, code)


def test_is_within_does_not_confuse_sibling_prefixes():
    assert is_within("63.02.17", "63.02")
    assert not is_within("63.021", "63.02")
    assert not is_within("63.12.01", "63.1")


def test_area_kind_tells_regency_from_city_and_village_from_kelurahan():
    assert Area(code="63.02", level=AreaLevel.REGENCY).kind == "Kabupaten"
    assert Area(code="63.71", level=AreaLevel.REGENCY).kind == "Kota"
    assert Area(code="63.02.17.2003", level=AreaLevel.VILLAGE).kind == "Desa"
    assert Area(code="63.02.22.1009", level=AreaLevel.VILLAGE).kind == "Kelurahan"


@pytest.mark.django_db
def test_area_validation_checks_level_and_parent():
    district = AreaFactory(code="63.02.17")
    village = Area(code="63.02.17.2003", name="Langadai", level=AreaLevel.VILLAGE, parent=district)
    village.full_clean()

    with pytest.raises(ValidationError) as wrong_level:
        Area(code="63.02.17.2004", name="X", level=AreaLevel.DISTRICT, parent=district).full_clean()
    assert "level" in wrong_level.value.message_dict

    with pytest.raises(ValidationError) as wrong_parent:
        Area(code="63.02.18.2001", name="X", level=AreaLevel.VILLAGE, parent=district).full_clean()
    assert "63.02.18" in wrong_parent.value.message_dict["parent"][0]

    with pytest.raises(ValidationError) as bad_code:
        Area(code="6302172005", name="X", level=AreaLevel.VILLAGE, parent=district).full_clean()
    assert "code" in bad_code.value.message_dict


@pytest.mark.django_db
def test_database_refuses_a_level_that_contradicts_the_code():
    from django.db import IntegrityError, transaction

    AreaFactory(code="63")
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(code="63.02", name="X", level=AreaLevel.DISTRICT, parent_id="63")
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(code="64", name="X", level=AreaLevel.PROVINCE, parent_id="63")
