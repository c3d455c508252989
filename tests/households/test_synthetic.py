import csv
import itertools
from datetime import date

import pytest
from openpyxl import load_workbook

from households.synthetic import DTSEN_COLUMNS, synthetic_rows, write_csv, write_xlsx

VILLAGES = ["63.02.17.2003", "63.02.17.2004", "63.02.17.2005"]  # Kelumpang Hilir, Kotabaru
COL = {name: index for index, name in enumerate(DTSEN_COLUMNS)}
NIK, KK, NAMA, SEX, BORN, STATUS = (COL[c] for c in DTSEN_COLUMNS[:6])
DESA, DESIL = COL["kode_kelurahan_desa"], COL["desil_nasional"]
STATUSES = {
    "Kepala Keluarga",
    "Istri",
    "Suami",
    "Anak",
    "Menantu",
    "Cucu",
    "Orang Tua/Mertua",
    "Famili Lain",
    "Lainnya",
}
CUTOFF = date(2025, 6, 30)


@pytest.fixture(scope="module")
def rows():
    return list(synthetic_rows(villages=VILLAGES, people=50_000))


def households(rows):
    """Consecutive rows sharing a No. KK."""
    return [list(group) for _kk, group in itertools.groupby(rows, key=lambda row: row[KK])]


def test_rows_are_the_same_for_the_same_arguments():
    first = list(synthetic_rows(villages=VILLAGES, people=2000, seed=7))
    assert first == list(synthetic_rows(villages=VILLAGES, people=2000, seed=7))
    assert first != list(synthetic_rows(villages=VILLAGES, people=2000, seed=8))


def test_fewer_people_give_a_prefix_of_the_same_rows(rows):
    assert list(synthetic_rows(villages=VILLAGES, people=1234)) == rows[:1234]


@pytest.mark.parametrize("people", [0, 1, 2, 7, 1000])
def test_exactly_the_number_of_people_asked_for(people):
    assert sum(1 for _ in synthetic_rows(villages=VILLAGES, people=people)) == people


def test_the_generator_is_lazy():
    generator = synthetic_rows(villages=VILLAGES, people=10**9)
    assert len(list(itertools.islice(generator, 10))) == 10


@pytest.mark.parametrize("code", ["6302172003", "63.02.17", "63.02.17.203", ""])
def test_malformed_village_codes_are_refused(code):
    with pytest.raises(ValueError, match="village code"):
        synthetic_rows(villages=[code], people=1)


def test_no_villages_is_refused():
    with pytest.raises(ValueError):
        synthetic_rows(villages=[], people=1)


def test_rows_are_string_tuples_with_area_codes_from_the_village(rows):
    for row in rows[:5000]:
        assert len(row) == len(DTSEN_COLUMNS)
        assert all(isinstance(value, str) for value in row)
        village = row[DESA]
        assert village in VILLAGES
        assert row[COL["kode_provinsi"]] == village[:2]
        assert row[COL["kode_kabupaten_kota"]] == village[:5]
        assert row[COL["kode_kecamatan"]] == village[:8]
    assert {row[DESA] for row in rows} == set(VILLAGES)


def test_nik_follows_the_official_layout(rows):
    for row in rows:
        nik = row[NIK]
        assert len(nik) == 16 and nik.isdigit()
        assert nik[:6] == row[DESA][:8].replace(".", "")
        day, month, yy, serial = int(nik[6:8]), int(nik[8:10]), nik[10:12], nik[12:]
        assert (day > 40) == (row[SEX] == "2")
        born = date.fromisoformat(row[BORN])
        assert (day - 40 if day > 40 else day, month, yy) == (
            born.day,
            born.month,
            f"{born.year % 100:02d}",
        )
        assert serial != "0000"


def test_nik_and_no_kk_are_unique_over_50000_people_of_one_district(rows):
    assert len({row[NIK] for row in rows}) == len(rows)
    families = households(rows)
    assert len({family[0][KK] for family in families}) == len(families)


def test_no_kk_has_district_prefix_issue_date_and_serial(rows):
    for row in rows[:5000]:
        kk = row[KK]
        assert len(kk) == 16 and kk.isdigit()
        assert kk[:6] == row[NIK][:6] and kk[:2] == "63"
        issued = date(2000 + int(kk[10:12]), int(kk[8:10]), int(kk[6:8]))
        assert issued.day <= 28 and issued < CUTOFF
        assert kk[12:] != "0000"


def test_each_household_has_its_head_first_and_shared_address_and_desil(rows):
    families = households(rows)
    sizes = {len(family) for family in families[:-1]}
    assert sizes == {1, 2, 3, 4, 5, 6}
    for family in families:
        head, *others = family
        assert head[STATUS] == "Kepala Keluarga"
        assert [row[STATUS] for row in others].count("Kepala Keluarga") == 0
        assert len({row[COL["alamat"] :] for row in family}) == 1
        for row in others:
            assert row[STATUS] in STATUSES
            if row[STATUS] in ("Istri", "Suami"):
                assert row[SEX] == ("2" if row[STATUS] == "Istri" else "1")
                assert row[SEX] != head[SEX]


def test_birth_dates_are_plausible(rows):
    for family in households(rows[:20_000]):
        head = family[0]
        couple = ("Kepala Keluarga", "Istri", "Suami")
        parents = [date.fromisoformat(r[BORN]) for r in family if r[STATUS] in couple]
        assert 1950 <= date.fromisoformat(head[BORN]).year <= 2000
        for row in family:
            born = date.fromisoformat(row[BORN])
            assert born < CUTOFF
            if row[STATUS] == "Anak":
                assert all(born > parent for parent in parents)


def test_desil_is_1_to_10_weighted_to_the_poor_and_close_across_levels(rows):
    national = [int(row[DESIL]) for row in rows]
    assert set(national) == set(range(1, 11))
    assert sum(d <= 5 for d in national) > 0.6 * len(national)
    for row in rows:
        d, prov, kab = (int(v) for v in row[DESIL:])
        assert 1 <= prov <= 10 and 1 <= kab <= 10
        assert abs(prov - d) <= 1 and abs(kab - d) <= 1


def test_changed_every_keeps_people_and_changes_one_name_in_n(rows):
    every = 10
    changed = list(synthetic_rows(villages=VILLAGES, people=len(rows), changed_every=every))
    assert len(changed) == len(rows)
    keep = [c for c in DTSEN_COLUMNS if c not in ("nama",) and not c.startswith("desil")]
    for i, (old, new) in enumerate(zip(rows, changed, strict=True)):
        assert all(old[COL[c]] == new[COL[c]] for c in keep)
        assert (old[NAMA] != new[NAMA]) == (i % every == 0)
    heads = [i for i, row in enumerate(rows) if row[STATUS] == "Kepala Keluarga"]
    for start, end in itertools.pairwise([*heads, len(rows)]):
        old, new = int(rows[start][DESIL]), int(changed[start][DESIL])
        if start % every == 0:
            assert abs(new - old) == 1 and 1 <= new <= 10
        else:
            assert new == old
        assert {row[DESIL:] for row in changed[start:end]} == {changed[start][DESIL:]}


def test_write_csv_round_trips_with_pipes(tmp_path):
    data = list(synthetic_rows(villages=VILLAGES, people=300))
    path = tmp_path / "keluarga_dtsen_v3_test.csv"
    assert write_csv(path, iter(data)) == 300
    with open(path, encoding="utf-8", newline="") as handle:
        read = list(csv.reader(handle, delimiter="|"))
    assert tuple(read[0]) == DTSEN_COLUMNS
    assert [tuple(row) for row in read[1:]] == data


def test_write_csv_takes_another_delimiter(tmp_path):
    path = tmp_path / "dtsen.csv"
    assert write_csv(path, [], delimiter=";") == 0
    assert path.read_text(encoding="utf-8") == ";".join(DTSEN_COLUMNS) + "\n"


def test_write_xlsx_round_trips_text_cells_below_title_rows(tmp_path):
    data = list(synthetic_rows(villages=VILLAGES, people=200))
    path = tmp_path / "dtsen.xlsx"
    titles = ["DATA TUNGGAL SOSIAL DAN EKONOMI NASIONAL", "Kabupaten Kotabaru"]
    assert write_xlsx(path, iter(data), title_rows=titles) == 200
    workbook = load_workbook(path, read_only=True)
    assert workbook.sheetnames[0] == "DTSEN"
    sheet = workbook["DTSEN"]
    read = list(sheet.iter_rows())
    assert [read[0][0].value, read[1][0].value] == titles
    assert tuple(cell.value for cell in read[2]) == DTSEN_COLUMNS
    body = read[3:]
    # An empty string (a household without a dusun) is a blank cell in a workbook.
    assert [tuple(cell.value or "" for cell in row) for row in body] == data
    assert all(cell.data_type == "s" for row in body for cell in row if cell.value is not None)
    workbook.close()
