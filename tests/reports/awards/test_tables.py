"""The awards' tables for the year-end document: what chapter 6 prints of each category."""

import datetime
from decimal import Decimal

from django.utils import timezone

from reports.awards.candidates import CandidateKey
from reports.awards.scoring import Part
from reports.awards.services import (
    award_candidate_add,
    award_category_create,
    award_score_adjust,
    award_winners_confirm,
)
from reports.awards.tables import award_tables, part_text, part_written
from reports.models import CandidateKind
from reports.tables import written
from tests.reports.awards.conftest import TODAY, YEAR, signed_report
from tkpk.models import Role


def cells(table, row: int) -> list[str]:
    pairs = zip(table.rows[row].cells, table.columns, strict=True)
    return [written(value, column) for value, column in pairs]


def test_one_table_per_category_in_order(scene):
    tables = award_tables(YEAR, today=TODAY)
    assert [table.title for table in tables][:2] == [scene.burden.name, scene.income.name]
    assert len({table.slug for table in tables}) == len(tables)
    assert award_tables(YEAR + 1, today=TODAY) == []


def test_a_table_shows_every_part_in_percent_and_each_score(scene):
    income = award_tables(YEAR, today=TODAY)[1]
    assert [column.label for column in income.columns] == [
        "Peringkat",
        "Kandidat",
        "Jenis",
        "Unsur skor (nilai × bobot = poin)",
        "Skor hitungan",
        "Skor disesuaikan",
        "Skor akhir",
        "Pemenang",
    ]
    assert cells(income, 1) == [
        "2",
        "Dinas Sosial P3AP2KB",
        "Perangkat daerah",
        "Capaian target 80,00 % × 40 = 32,00; Serapan anggaran 60,00 % × 30 = 18,00; "
        "Laporan triwulan tepat waktu 66,67 % × 15 = 10,00; "
        "Bukti terverifikasi 33,33 % × 15 = 5,00",
        "65,00",
        "—",
        "65,00",
        "—",
    ]
    assert cells(income, 0)[:3] == ["1", "PT Sebuku Iron Lateritic Ores", "Mitra"]
    assert cells(income, 0)[3:5] == [
        "Realisasi terhadap komitmen 100,00 % × 50 = 50,00; "
        "Nilai realisasi terhadap yang terbesar 100,00 % × 30 = 30,00; "
        "Orang terjangkau 0,00 % × 20 = 0,00",
        "80,00",
    ]


def test_the_note_says_why_a_part_is_missing(scene):
    income = award_tables(YEAR, today=TODAY)[1]
    assert (
        "“—”: capaian target tidak dapat diukur (belum ada laporan triwulan yang dikirim) dan "
        "dihitung 0 untuk Dinas Tenaga Kerja dan Transmigrasi."
    ) in income.note


def test_adjustments_and_hand_added_candidates_are_explained_and_winners_marked(scene, users):
    secretariat = users[Role.SECRETARIAT]
    award_score_adjust(
        category=scene.income,
        key=CandidateKey(CandidateKind.AGENCY, scene.disnaker.pk),
        score=Decimal("85.5"),
        reason="Laporan tertunda karena banjir",
        by=secretariat,
    )
    tarjun = award_candidate_add(
        category=scene.income,
        kind=CandidateKind.OTHER,
        name="Desa Tarjun",
        justification="BUMDes membuka 30 lapangan kerja.",
        score=Decimal(70),
        by=secretariat,
    )
    award_winners_confirm(
        category=scene.income, winners=[CandidateKey.of_row(tarjun)], by=secretariat, today=TODAY
    )
    income = award_tables(YEAR, today=TODAY)[1]
    assert cells(income, 0)[:3] == ["1", "Dinas Tenaga Kerja dan Transmigrasi", "Perangkat daerah"]
    assert cells(income, 0)[-4:] == ["0,00", "85,50", "85,50", "—"]
    tarjun_row = cells(income, 2)
    assert tarjun_row[1:3] == ["Desa Tarjun", "Lainnya"]
    assert tarjun_row[-4:] == ["—", "70,00", "70,00", "Pemenang"]
    assert income.rows[2].highlight and not income.rows[0].highlight
    assert (
        "Dinas Tenaga Kerja dan Transmigrasi: skor disesuaikan dari 0,00 menjadi 85,50 karena: "
        "Laporan tertunda karena banjir."
    ) in income.note
    assert (
        "Desa Tarjun ditambahkan oleh sekretariat karena: BUMDes membuka 30 lapangan kerja."
    ) in income.note
    assert "Pemenang ditetapkan pada " in income.note


def test_a_category_without_candidates_says_so(scene, users):
    award_category_create(year=YEAR, name="Desa terbaik", by=users[Role.SECRETARIAT])
    special = award_tables(YEAR, today=TODAY)[-1]
    assert special.title == "Desa terbaik" and special.rows == ()
    assert special.note == "Tidak ada kandidat dalam kategori ini."


def test_a_part_is_written_with_its_points_to_two_decimals():
    on_time = Part("on_time", "laporan triwulan tepat waktu", 15, Decimal("0.6667"))
    shown = part_written(on_time)
    assert (shown.label, shown.value, shown.weight, shown.points) == (
        "Laporan triwulan tepat waktu",
        "66,67 %",
        "15",
        "10,00",  # 10,0005 exactly: the score sums it unrounded
    )
    assert part_text(on_time) == "Laporan triwulan tepat waktu 66,67 % × 15 = 10,00"
    unmeasured = part_written(Part("achievement", "capaian target", 40, None, "belum dilapor"))
    assert (unmeasured.value, unmeasured.points, unmeasured.why) == ("—", "0,00", "belum dilapor")


def test_a_final_year_is_tabled_as_counted_on_the_day_it_was_signed(scene):
    """Counted in February, Q4's report would be due and Dinsos's score lower."""
    later = datetime.date(2027, 2, 1)

    def dinsos_computed() -> str:
        income = award_tables(YEAR, today=later)[1]
        rows = [cells(income, row) for row in range(len(income.rows))]
        return next(row[4] for row in rows if row[1] == "Dinas Sosial P3AP2KB")

    assert dinsos_computed() == "62,50"  # Q4 due and not sent: on time 2 of 4
    signed_report(YEAR, finalised_at=timezone.make_aware(datetime.datetime(2026, 12, 1, 10)))
    assert dinsos_computed() == "65,00"
