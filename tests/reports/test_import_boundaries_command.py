from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from reports.models import Boundary
from tests.factories import AreaFactory
from tests.reports.test_boundaries import collection, feature, square, write


@pytest.fixture(autouse=True)
def _english():
    """Output is checked in its msgid language, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def villages(db):
    return [AreaFactory(code=f"63.02.17.{2001 + i}", name=f"Desa {i}") for i in range(3)]


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_boundaries", str(path), *args, stdout=out)
    return out.getvalue()


def test_the_summary_counts_what_was_done_and_names_the_unknown_codes(tmp_path, villages):
    path = write(
        tmp_path,
        collection(
            *(feature(v.code, square(116 + i / 10, -3.0)) for i, v in enumerate(villages)),
            feature("63.02.17.2099", square(117, -3.0)),
            feature("63.03.01", square(114, -3.0)),
            feature("63.02.17.2001", {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}),
        ),
    )

    output = run(path, "--within", "63.02", "--source", "cahyadsn/wilayah_boundaries (MIT)")

    assert output.splitlines()[0] == (
        "Boundaries: 3 created, 0 updated, 0 unchanged, 1 unknown codes, 1 features rejected."
        " 1 outside 63.02."
    )
    assert "Codes not in the area list (not imported): 63.02.17.2099" in output
    assert "Feature 6 (63.02.17.2001): 63.02.17.2001 was already feature 1." in output
    assert Boundary.objects.get(pk="63.02.17.2001").source == "cahyadsn/wilayah_boundaries (MIT)"

    again = run(path, "--within", "63.02", "--source", "cahyadsn/wilayah_boundaries (MIT)")

    assert again.startswith("Boundaries: 0 created, 0 updated, 3 unchanged,")
    assert again.splitlines()[-1] == "Nothing was changed."


def test_a_long_list_of_unknown_codes_is_cut(tmp_path, villages):
    unknown = [feature(f"63.02.18.{2001 + i}", square(116, -3.0)) for i in range(25)]

    output = run(write(tmp_path, collection(*unknown)))

    listed = next(line for line in output.splitlines() if line.startswith("Codes not in"))
    assert "63.02.18.2020" in listed
    assert "63.02.18.2021" not in listed
    assert listed.endswith("… and 5 more.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kode,nama\n63,Kalimantan Selatan\n", "not valid JSON"),
        ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ],
)
def test_a_file_error_fails_the_command_and_changes_nothing(tmp_path, villages, text, message):
    with pytest.raises(CommandError, match=message) as error:
        run(write(tmp_path, text))
    assert "Nothing was changed." in str(error.value)
    assert not Boundary.objects.exists()


def test_a_missing_file_and_a_malformed_within_are_clear_errors(tmp_path, villages):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "tidak-ada.geojson")
    with pytest.raises(CommandError, match="--within"):
        run(write(tmp_path, collection()), "--within", "6302")


def test_the_command_fails_with_a_non_zero_exit_status(tmp_path, villages):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "import_boundaries", str(tmp_path / "x.geojson")])
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code != 0
