"""The demo's year-end report: this year's draft with its narrative written as a secretariat
would, and the award categories of the year's pillars, so that `make run` shows a document
to build and rankings to read. Nothing is built or finalised: that is for the visitor."""

from django.utils import timezone

from reports.awards.services import award_categories_ensure
from reports.models import YearEndReport
from reports.year_end.services import narrative_save, year_end_report_start
from tkpk.models import User

NARRATIVE = {
    "foreword": (
        "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa. Laporan ini merangkum "
        "pelaksanaan penanggulangan kemiskinan daerah selama setahun: kondisi kemiskinan, "
        "program per pilar strategi, capaian rencana aksi perangkat daerah dan kontribusi "
        "mitra.\n\nTerima kasih kepada seluruh perangkat daerah, dunia usaha, Baznas dan "
        "pemerintah desa atas kerja sama yang erat sepanjang tahun."
    ),
    "coordination": (
        "Sepanjang tahun TKPK menyelenggarakan:\n\n"
        "- **Rakor triwulanan** untuk membahas progres rencana aksi perangkat daerah;\n"
        "- **Verifikasi dan validasi** data DTSEN bersama pemerintah desa;\n"
        "- **Forum CSR** untuk menyelaraskan komitmen mitra dengan desa sasaran."
    ),
    "problems": (
        "- Sebagian laporan triwulan terlambat dikirim;\n"
        "- Pemutakhiran desil DTSEN belum serentak di semua desa;\n"
        "- Realisasi komitmen mitra berupa barang belum seluruhnya disertai bukti."
    ),
    "recommendations": (
        "1. Perangkat daerah melaporkan realisasi paling lambat tanggal 10 bulan berikutnya.\n"
        "2. Program pilar pendapatan diprioritaskan bagi rumah tangga desil 1–4 yang belum "
        "terjangkau program apa pun.\n"
        "3. Forum CSR diarahkan ke desa dengan jumlah rumah tangga miskin terbanyak."
    ),
}


def demo_load(by: User) -> YearEndReport:
    """This year's draft report with its narrative, and the year's award categories;
    idempotent: a narrative someone changed is left as it is."""
    year = timezone.localdate().year
    report = year_end_report_start(year=year, by=by)
    for field, text in NARRATIVE.items():
        if not report.is_final and not getattr(report, field):
            report = narrative_save(
                report=report, field=field, text=text, version=report.version, by=by
            )
    if not report.is_final:
        award_categories_ensure(year=year, by=by)
    return report
