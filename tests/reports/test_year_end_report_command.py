"""`manage.py year_end_report YEAR --out DIR`: the document's files from the command line."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from docx import Document as WordDocument
from pypdf import PdfReader

from households.models import Area
from reports.models import PovertyStatistic
from reports.year_end.services import report_finalise, year_end_report_start
from tests.reports.conftest import YEAR
from tkpk.models import Role


def _pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def statistic(register, users):
    Area.objects.filter(code="63.02").update(name="Kabupaten Kotabaru")
    return PovertyStatistic.objects.create(
        area_id="63.02",
        year=YEAR,
        poverty_rate=Decimal("4.81"),
        source="BPS",
        entered_by=users[Role.SECRETARIAT],
    )


def test_writes_the_pdf_and_the_docx_of_the_year(statistic, tmp_path):
    out = io.StringIO()
    call_command("year_end_report", str(YEAR), "--out", str(tmp_path / "laporan"), stdout=out)
    pdf, docx = tmp_path / "laporan" / f"{YEAR}.pdf", tmp_path / "laporan" / f"{YEAR}.docx"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = _pdf_text(pdf)
    assert "Kotabaru" in text and "4,81" in text
    words = "\n".join(p.text for p in WordDocument(docx).paragraphs)
    assert "Kotabaru" in words
    assert str(pdf) in out.getvalue()


def test_a_year_with_nothing_to_report_exits_2_with_one_line(db, tmp_path, capsys):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("year_end_report", "1999", "--out", str(tmp_path), stderr=err)
    assert exited.value.code == 2
    assert err.getvalue().strip().count("\n") == 0 and "1999" in err.getvalue()
    assert not list(tmp_path.iterdir())


def test_a_final_report_is_written_from_its_signed_figures(statistic, users, tmp_path):
    by = users[Role.SECRETARIAT]
    report = year_end_report_start(year=YEAR, by=by)
    report_finalise(report=report, version=report.version, by=by)
    statistic.poverty_rate = Decimal("9.99")
    statistic.save()
    call_command("year_end_report", str(YEAR), "--out", str(tmp_path), stdout=io.StringIO())
    text = _pdf_text(tmp_path / f"{YEAR}.pdf")
    assert "4,81" in text and "9,99" not in text
