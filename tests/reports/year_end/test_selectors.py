"""What the finalise page warns about before a report is signed."""

import datetime
from decimal import Decimal

from django.utils import timezone

from reports.awards.candidates import CandidateKey
from reports.awards.services import (
    award_candidate_add,
    award_category_create,
    award_winners_confirm,
)
from reports.models import CandidateKind, SummaryRefresh
from reports.year_end.selectors import finalise_warnings
from reports.year_end.services import narrative_save, year_end_report_start
from tkpk.models import Role

YEAR = 2026


def test_a_fresh_report_lists_every_gap(db, users):
    report = year_end_report_start(year=YEAR, by=users[Role.SECRETARIAT])
    warnings = finalise_warnings(report, today=datetime.date(YEAR, 12, 15))
    assert warnings[0] == (
        "Belum ditulis: kata pengantar, koordinasi yang dilaksanakan selama tahun ini, "
        "kendala yang dihadapi, rekomendasi."
    )
    assert warnings[1] == "Penghargaan tahun 2026 belum dimulai."
    assert warnings[2].startswith("Laporan triwulan 4 jatuh tempo pada 10 Januari 2027")


def test_categories_without_winners_are_named_and_a_complete_report_has_none(db, users):
    by = users[Role.SECRETARIAT]
    report = year_end_report_start(year=YEAR, by=by)
    for field in ("foreword", "coordination", "problems", "recommendations"):
        report = narrative_save(
            report=report, field=field, text="Ditulis.", version=report.version, by=by
        )
    done = award_category_create(year=YEAR, name="Khusus", by=by)
    award_category_create(year=YEAR, name="Desa terbaik", by=by)
    tarjun = award_candidate_add(
        category=done,
        kind=CandidateKind.OTHER,
        name="Desa Tarjun",
        justification="BUMDes membuka 30 lapangan kerja.",
        score=Decimal(70),
        by=by,
    )
    after_the_year = datetime.date(YEAR + 1, 2, 1)
    assert finalise_warnings(report, today=after_the_year) == [
        "Belum ada pemenang yang ditetapkan pada: Khusus, Desa terbaik."
    ]
    award_winners_confirm(category=done, winners=[CandidateKey.of_row(tarjun)], by=by)
    assert finalise_warnings(report, today=after_the_year) == [
        "Belum ada pemenang yang ditetapkan pada: Desa terbaik."
    ]


def test_a_rebuild_running_elsewhere_is_announced(db, users):
    report = year_end_report_start(year=YEAR, by=users[Role.SECRETARIAT])
    SummaryRefresh.objects.create(year=YEAR, started_at=timezone.now())
    warnings = finalise_warnings(report, today=datetime.date(YEAR + 1, 2, 1))
    assert any(w.startswith("Angka sedang dihitung ulang") for w in warnings)
    SummaryRefresh.objects.filter(year=YEAR).update(finished_at=timezone.now())
    warnings = finalise_warnings(report, today=datetime.date(YEAR + 1, 2, 1))
    assert not any(w.startswith("Angka sedang dihitung ulang") for w in warnings)
