"""The demo data `manage.py seed_demo` loads; later issues add theirs here."""

import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from households.dtsen.services import dtsen_load_command
from households.models import Area, DtsenImport, ImportStatus
from households.services import areas_import, read_region_file
from households.synthetic import DTSEN_COLUMNS, synthetic_rows, write_csv, write_xlsx
from partners import demo as partners_demo
from programs import demo as programs_demo
from programs import plan_demo
from reports import demo as reports_demo
from reports.boundaries import DEMO_BOUNDARIES, DEMO_SOURCE, boundaries_import
from reports.summaries import summaries_refresh
from reports.year_end import demo as year_end_demo
from tkpk.models import Agency, Role, User

DEMO_DIR = Path(__file__).resolve().parent.parent / "households" / "demo"
DEMO_AREAS = DEMO_DIR / "wilayah_demo.csv"
# The register the demo starts with (synthetic people, valid NIKs, the demo villages) and
# a later release of it for trying the upload page: 10 % of the people changed, hand-made
# headers under title rows, and the mistakes real files contain.
DEMO_DTSEN = DEMO_DIR / "dtsen_demo_2025-Q3.csv"
DEMO_DTSEN_PERIOD = "2025-Q3"
DEMO_UPLOAD = DEMO_DIR / "contoh_unggah_dtsen_2025-Q4.xlsx"
DEMO_PEOPLE = 3000
DEMO_REGION = "63.02"
DEMO_PASSWORD = "demo-tkpk-2026"  # noqa: S105 - printed for people trying the demo

# The agencies named in the Banjar and Kotabaru reports (see shared/seeds).
DEMO_AGENCIES = [
    (
        "Dinsos P3AP2KB",
        "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, "
        "Pengendalian Penduduk dan Keluarga Berencana",
    ),
    ("Disdik", "Dinas Pendidikan"),
    ("Dinkes", "Dinas Kesehatan"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("Disnakertrans", "Dinas Tenaga Kerja dan Transmigrasi"),
    ("Disbudporapar", "Dinas Kebudayaan, Kepemudaan, Olahraga dan Pariwisata"),
    ("DKUMPP", "Dinas Koperasi, Usaha Mikro, Perindustrian dan Perdagangan"),
    ("Distan", "Dinas Pertanian"),
    ("DKPP", "Dinas Ketahanan Pangan dan Perikanan"),
    ("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa"),
    ("Dinas PUPRP", "Dinas Pekerjaan Umum, Penataan Ruang dan Pertanahan"),
    ("DisperkimLH", "Dinas Perumahan, Kawasan Permukiman dan Lingkungan Hidup"),
    ("Dishub", "Dinas Perhubungan"),
    ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("Bappedalitbang", "Badan Perencanaan Pembangunan Daerah, Penelitian dan Pengembangan"),
]

# username, full name, role, agency acronym, partner name (the secretariat comes before
# the partner operator: it adds the partner)
DEMO_USERS = [
    ("admin", "Administrator Sistem", Role.ADMIN, None, None),
    ("sekretariat", "Sekretariat TKPK", Role.SECRETARIAT, None, None),
    ("opd.dinsos", "Operator Dinsos P3AP2KB", Role.AGENCY, "Dinsos P3AP2KB", None),
    ("opd.disnakertrans", "Operator Disnakertrans", Role.AGENCY, "Disnakertrans", None),
    ("pimpinan", "Wakil Bupati (Ketua TKPK)", Role.LEADER, None, None),
    ("mitra", "Petugas CSR PT Arutmin", Role.PARTNER, None, partners_demo.ARUTMIN),
]


def demo_load() -> list[User]:
    """Load (or refresh) the demo region, agencies, users, register, programs and partners;
    idempotent.

    The register is loaded twice, 2025-Q2 (generated) then 2025-Q3 (the committed file),
    with the programs' first participants enrolled in between: graduation compares the two.
    The partners come last: their realisations name the programs' participants.
    """
    users = _demo_people_and_places()
    later_rows = programs_demo.read_rows(DEMO_DTSEN)
    plan = programs_demo.plan_make(later_rows)
    if not DtsenImport.objects.filter(status=ImportStatus.DONE).exists():
        with tempfile.TemporaryDirectory(prefix="tkpk-demo-") as directory:
            earlier = Path(directory) / f"dtsen_demo_{programs_demo.EARLIER_PERIOD}.csv"
            programs_demo.earlier_register_write(earlier, later_rows, plan)
            dtsen_load_command(
                path=earlier, period=programs_demo.EARLIER_PERIOD, sheet=None, dry_run=False
            )
    programs_demo.programs_before_later_register(plan)
    already = DtsenImport.objects.filter(
        file_name=DEMO_DTSEN.name, status=ImportStatus.DONE
    ).exists()
    if not already:
        dtsen_load_command(path=DEMO_DTSEN, period=DEMO_DTSEN_PERIOD, sheet=None, dry_run=False)
    programs_demo.programs_after_later_register(plan)
    partners_demo.demo_load()
    users += plan_demo.demo_load()  # this year's action plans; operators of other agencies
    _dashboard(next(user for user in users if user.role == Role.SECRETARIAT))
    return users


def _dashboard(secretariat: User) -> None:
    """Statistics, the demo districts' boundaries, and the summaries of last year and this
    year, so that the dashboard has its figures without waiting for the worker; this
    year's draft year-end report and its award categories."""
    reports_demo.demo_load(secretariat)
    boundaries_import(DEMO_BOUNDARIES, within=DEMO_REGION, source=DEMO_SOURCE)
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        summaries_refresh(year)
    year_end_demo.demo_load(secretariat)


def demo_villages() -> list[str]:
    return list(Area.objects.within(DEMO_REGION).villages().values_list("code", flat=True))


def demo_files_write(villages: list[str]) -> None:
    """Regenerate the two demo DTSEN files (run once; the files are committed)."""
    write_csv(DEMO_DTSEN, synthetic_rows(villages=villages, people=DEMO_PEOPLE))
    write_xlsx(
        DEMO_UPLOAD,
        _upload_rows(villages),
        title_rows=["DATA DTSEN KABUPATEN KOTABARU", "Periode 2025-Q4 (contoh sintetis)"],
        header=[UPLOAD_HEADERS.get(name, name) for name in DTSEN_COLUMNS],
    )


UPLOAD_HEADERS = {
    "nomor_induk_kependudukan": "NIK",
    "nomor_kartu_keluarga": "No. KK",
    "nama": "Nama Lengkap",
    "jenis_kelamin": "L/P",
    "tanggal_lahir": "Tgl Lahir",
    "status_hubungan_keluarga": "SHDK",
    "kode_kelurahan_desa": "Kode Desa",
    "desil_nasional": "Desil",
}


def _upload_rows(villages: list[str]):
    rows = list(synthetic_rows(villages=villages, people=DEMO_PEOPLE, changed_every=10))
    nik, village, birth, relation, desil = (
        DTSEN_COLUMNS.index(name)
        for name in (
            "nomor_induk_kependudukan",
            "kode_kelurahan_desa",
            "tanggal_lahir",
            "status_hubungan_keluarga",
            "desil_nasional",
        )
    )

    def edit(index: int, column: int, value: str) -> None:
        row = list(rows[index])
        row[column] = value
        rows[index] = tuple(row)

    edit(10, nik, f"{int(rows[10][nik]):.5E}")  # what Excel shows of a NIK kept as a number
    edit(20, village, "63.02.99.2001")  # a village that does not exist
    edit(30, birth, "31-02-1990")  # an impossible date
    edit(40, relation, "Keponakan")  # not a DTSEN relationship: a warning
    edit(50, desil, "Desil 3")  # written by hand, still understood
    edit(60, nik, rows[59][nik])  # the same NIK twice
    edit(70, nik, "'" + rows[70][nik][:6] + " " + rows[70][nik][6:])  # apostrophe, space
    yield from rows


@transaction.atomic
def _demo_people_and_places() -> list[User]:
    areas_import(areas=read_region_file(DEMO_AREAS))
    agencies = {}
    for acronym, name in DEMO_AGENCIES:
        agencies[acronym], _created = Agency.objects.update_or_create(
            acronym=acronym, defaults={"name": name, "is_active": True}
        )
    users = []
    for username, name, role, acronym, partner in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "name": name,
                "role": role,
                "agency": agencies[acronym] if acronym else None,
                "partner": partners_demo.partner_get(partner) if partner else None,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        users.append(user)
    return users
