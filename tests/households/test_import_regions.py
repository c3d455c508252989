from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from households.models import Area, AreaLevel

SHARED_LIST = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "wilayah_kepmendagri_2025.csv"
)

GOOD = """kode,nama
63,Kalimantan Selatan
63.02,Kabupaten Kotabaru
63.02.17,Kelumpang Hilir
63.02.17.2002,Tarjun
63.02.17.2003,Langadai
63.02.06,Pulaulaut Utara
63.02.06.2013,Sungai Taib
63.03,Kabupaten Banjar
63.03.01,Aluh Aluh
64,Kalimantan Timur
"""


def write(tmp_path, text, name="wilayah.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def run(path, *args):
    out = StringIO()
    call_command("import_regions", str(path), *args, stdout=out)
    return out.getvalue()


def counts_line(output, label):
    line = next(line for line in output.splitlines() if line.startswith(label))
    return [int(n) for n in line.split()[-3:]]


@pytest.mark.django_db
def test_import_creates_the_hierarchy_and_prints_counts_per_level(tmp_path):
    output = run(write(tmp_path, GOOD))
    assert counts_line(output, "Provinsi") == [2, 0, 0]
    assert counts_line(output, "Kabupaten/kota") == [2, 0, 0]
    assert counts_line(output, "Kecamatan") == [3, 0, 0]
    assert counts_line(output, "Desa") == [3, 0, 0]
    langadai = Area.objects.get(code="63.02.17.2003")
    assert langadai.level == AreaLevel.VILLAGE
    assert langadai.parent.parent.name == "Kabupaten Kotabaru"


@pytest.mark.django_db
def test_second_import_changes_nothing_and_a_new_name_is_a_rename(tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    again = run(path)
    assert counts_line(again, "Desa") == [0, 0, 3]
    assert Area.objects.count() == 10

    renamed = write(tmp_path, GOOD.replace("Langadai", "Langadai Baru"), "baru.csv")
    output = run(renamed)
    assert counts_line(output, "Desa") == [0, 1, 2]
    assert Area.objects.get(code="63.02.17.2003").name == "Langadai Baru"
    assert Area.objects.count() == 10


@pytest.mark.django_db
def test_within_keeps_the_region_and_its_ancestors_only(tmp_path):
    output = run(write(tmp_path, GOOD), "--within", "63.02")
    assert set(Area.objects.values_list("code", flat=True)) == {
        "63",
        "63.02",
        "63.02.17",
        "63.02.17.2002",
        "63.02.17.2003",
        "63.02.06",
        "63.02.06.2013",
    }
    assert counts_line(output, "Provinsi") == [1, 0, 0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (GOOD + "63.02.17.20x4,Rusak\n", 12, "63.02.17.20x4"),
        (GOOD.replace("63.02.17.2002,Tarjun", "63.02.17.2002"), 5, "2 kolom"),
        (GOOD.replace("Tarjun", ""), 5, "tidak memiliki nama"),
        (GOOD + "63.02.17.2003,Langadai Lagi\n", 12, "baris 6"),
        (GOOD + "63.09.01.2001,Tanpa Induk\n", 12, "63.09.01"),
        ("code;name\n63;Kalimantan Selatan\n", 1, "kode,nama"),
    ],
)
def test_a_malformed_line_is_reported_by_number_and_nothing_changes(tmp_path, text, line, fragment):
    Area.objects.create(code="11", name="Aceh", level=AreaLevel.PROVINCE)
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, text))
    message = str(error.value)
    assert f"baris {line}:" in message
    assert fragment in message
    assert "Tidak ada yang diubah" in message
    assert list(Area.objects.values_list("code", flat=True)) == ["11"]


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "wilayah.csv"
    path.write_bytes("kode,nama\n63,Kalimantan Selatan\n63.02,Kabupat\xe9n\n".encode("latin-1"))
    with pytest.raises(CommandError, match="baris 3: berkas bukan teks UTF-8"):
        run(path)
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_a_region_missing_from_the_file_is_an_error_not_an_empty_import(tmp_path):
    with pytest.raises(CommandError, match=r"63\.99"):
        run(write(tmp_path, GOOD), "--within", "63.99")
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_a_database_failure_mid_import_leaves_the_areas_as_before(tmp_path, monkeypatch):
    run(write(tmp_path, "kode,nama\n63,Kalimantan Selatan\n"))
    original = Area.objects.bulk_create
    calls = []

    def fail_on_villages(objs, **kwargs):
        calls.append(len(objs))
        if objs and objs[0].level == AreaLevel.VILLAGE:
            raise RuntimeError("database went away")
        return original(objs, **kwargs)

    monkeypatch.setattr(Area.objects, "bulk_create", fail_on_villages)
    with pytest.raises(RuntimeError):
        run(write(tmp_path, GOOD.replace("Kalimantan Selatan", "Kalsel"), "baru.csv"))
    assert len(calls) == 4  # provinces, regencies and districts were written first
    assert list(Area.objects.values_list("code", "name")) == [("63", "Kalimantan Selatan")]


@pytest.mark.django_db
def test_a_missing_file_and_a_malformed_within_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run(tmp_path / "tidak-ada.csv")
    with pytest.raises(CommandError, match="--within"):
        run(write(tmp_path, GOOD), "--within", "6302")


@pytest.mark.django_db
def test_the_official_file_imports_for_one_regency():
    if not SHARED_LIST.exists():
        pytest.skip("the shared area list is not beside this checkout")
    output = run(SHARED_LIST, "--within", "63.02")
    assert counts_line(output, "Provinsi") == [1, 0, 0]
    assert Area.objects.get(code="63.02.17.2003").name == "Langadai"
    assert Area.objects.villages().within("63.02").count() == counts_line(output, "Desa")[0]
