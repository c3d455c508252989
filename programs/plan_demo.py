"""The demo's action plans: this year's plan of each of the 16 demo agencies, and its
quarterly progress, so that every role's home page and the secretariat's overview show
something real.

Invented for the demo: every activity, sub-activity code, indicator, target, budget,
village, percentage and comment. The story covers each state once or more: most plans
verified, one awaiting verification (returned once before), one returned, one draft, one
in revision (the verified version still in force); quarters 1–3 verified, awaiting
verification, returned with a comment, left as a draft or never started after their
deadline (with the secretariat's reminder for some), some agencies on track and some
behind. On their home pages `opd.dinsos` finds a returned third-quarter report and a
reminder, `opd.disnakertrans` a late third quarter and its achievement so far.

Every write goes through programs.plan_services, by the agency's own operator (one per
agency, added here where tkpk.demo has none) and by `sekretariat`; each step is then
dated as in the story (the quarter's deadline, a few days before or after), never later
than now. An agency that already has a plan for the year is left as it is.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from households.models import Area
from partners.demo import example_pdf
from programs.models import (
    ActionPlan,
    Activity,
    BudgetTag,
    FundingSource,
    Pillar,
    PlanEvent,
    Program,
    Progress,
    QuarterReport,
    ReviewStatus,
    TargetGroup,
    quarter_start,
)
from programs.plan_selectors import deadlines
from programs.plan_services import (
    activity_save,
    plan_create,
    plan_review,
    plan_revise,
    plan_submit,
    progress_save,
    quarter_report_open,
    reminder_send,
    report_review,
    report_submit,
)
from tkpk.documents import DOCUMENTS, document_check
from tkpk.models import Agency, Role, User

T = TypeVar("T")
SECRETARIAT = "sekretariat"

LANGADAI, TEGAL_REJO, TARJUN = "63.02.17.2003", "63.02.17.2006", "63.02.17.2002"
SUNGAI_TAIB, TIRAWAN, STAGEN = "63.02.06.2013", "63.02.22.2005", "63.02.06.2011"

APBD, APBN = FundingSource.APBD, FundingSource.APBN
DANA_DESA, CSR = FundingSource.DANA_DESA, FundingSource.CSR
DIRECT, INDIRECT, SUPPORTING = BudgetTag.DIRECT, BudgetTag.INDIRECT, BudgetTag.SUPPORTING
PRODUCTIVE, NON_PRODUCTIVE = TargetGroup.PRODUCTIVE, TargetGroup.NON_PRODUCTIVE
ALL = TargetGroup.ALL

# Where a plan, or a quarter's report, ends up in the story: a ReviewStatus, or one of two
# more: a plan whose revision is open (verified before), a report never begun.
VERIFIED, SUBMITTED = ReviewStatus.VERIFIED, ReviewStatus.SUBMITTED
RETURNED, DRAFT = ReviewStatus.RETURNED, ReviewStatus.DRAFT
REVISION, MISSING = "revision", "missing"

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
PEOPLE_UNITS = {"orang", "keluarga", "siswa", "jiwa", "balita", "KK"}
WOBBLE = (Decimal("1.00"), Decimal("0.92"), Decimal("1.06"), Decimal("0.97"))


@dataclass(frozen=True)
class DemoActivity:
    name: str
    code: str
    pillar: int  # the pillar's order
    indicator: str
    unit: str
    quarters: tuple[int, int, int, int]  # targets; for a level (adds_up False) Q4 is the year's
    budget: int = 0
    source: str = APBD
    tag: str = BudgetTag.NONE
    group: str = ALL
    adds_up: bool = True
    program: str = ""  # a demo program's code, led by the same agency
    villages: tuple[str, ...] = ()

    @property
    def target(self) -> int:
        return sum(self.quarters) if self.adds_up else self.quarters[3]


@dataclass(frozen=True)
class DemoReport:
    quarter: int
    outcome: str  # VERIFIED, SUBMITTED, RETURNED, DRAFT or MISSING
    pace: Decimal = Decimal(1)  # the share of each quarter's target realised
    comment: str = ""  # why it was returned
    corrected: str = ""  # returned once for this reason, corrected, then `outcome`
    reminded: bool = False  # the secretariat sent a reminder once the deadline passed


@dataclass(frozen=True)
class DemoPlan:
    agency: str  # acronym
    operator: str  # username
    outcome: str  # VERIFIED, SUBMITTED, RETURNED, DRAFT or REVISION
    activities: tuple[DemoActivity, ...]
    reports: tuple[DemoReport, ...] = ()
    comment: str = ""  # the secretariat's, when returned; the operator's, for a revision
    corrected: str = ""  # the plan was returned once for this reason before `outcome`
    revision: tuple[DemoActivity, ...] = ()  # activities added in the open revision


def _r(quarter: int, outcome: str, pace: str = "1", **kwargs) -> DemoReport:
    return DemoReport(quarter, outcome, Decimal(pace), **kwargs)


A = DemoActivity

DEMO_PLANS = (
    DemoPlan(
        "Dinsos P3AP2KB",
        "opd.dinsos",
        VERIFIED,
        (
            A(
                "Penyaluran bantuan pangan daerah bagi keluarga desil 1–4",
                "1.06.04.2.01.0002",
                1,
                "Keluarga desil 1–4 menerima paket pangan",
                "keluarga",
                (300, 300, 300, 300),
                1_440_000_000,
                APBD,
                DIRECT,
                NON_PRODUCTIVE,
                program="KTB-BPD-2025",
            ),
            A(
                "Pemutakhiran data penerima bantuan sosial dengan DTSEN",
                "1.06.02.2.01.0003",
                1,
                "Desa dan kelurahan yang datanya dimutakhirkan",
                "%",
                (25, 50, 75, 100),
                180_000_000,
                APBD,
                SUPPORTING,
                adds_up=False,
            ),
            A(
                "Pemberdayaan ekonomi perempuan kepala keluarga miskin",
                "2.08.02.2.01.0004",
                2,
                "Perempuan kepala keluarga mendapat pelatihan dan modal usaha",
                "orang",
                (0, 20, 20, 0),
                240_000_000,
                APBD,
                DIRECT,
                PRODUCTIVE,
                villages=(LANGADAI, TEGAL_REJO),
            ),
        ),
        reports=(
            _r(1, VERIFIED),
            _r(2, VERIFIED, "0.95"),
            _r(
                3,
                RETURNED,
                "0.9",
                comment=(
                    "Realisasi paket pangan triwulan III tidak sesuai dengan berita acara "
                    "penyaluran (265 keluarga). Perbaiki angka realisasi dan lampirkan daftar "
                    "penerima, lalu kirim ulang."
                ),
                reminded=True,
            ),
        ),
    ),
    DemoPlan(
        "Disnakertrans",
        "opd.disnakertrans",
        VERIFIED,
        (
            A(
                "Pelatihan keterampilan kerja bagi warga miskin produktif",
                "2.07.03.2.01.0001",
                2,
                "Peserta lulus pelatihan berbasis kompetensi",
                "orang",
                (20, 10, 7, 0),
                555_000_000,
                APBD,
                DIRECT,
                PRODUCTIVE,
                program="KTB-WMP-2025",
                villages=(LANGADAI, TEGAL_REJO, TARJUN, SUNGAI_TAIB, TIRAWAN),
            ),
            A(
                "Penempatan lulusan pelatihan pada perusahaan mitra CSR",
                "2.07.04.2.02.0002",
                4,
                "Lulusan pelatihan bekerja di perusahaan mitra",
                "orang",
                (0, 5, 5, 5),
                45_000_000,
                APBD,
                INDIRECT,
                PRODUCTIVE,
            ),
            A(
                "Pembinaan usaha keluarga transmigran miskin",
                "3.32.02.2.03.0001",
                3,
                "Kepala keluarga transmigran dibina",
                "KK",
                (10, 10, 10, 10),
                120_000_000,
                APBN,
                INDIRECT,
                PRODUCTIVE,
            ),
        ),
        reports=(_r(1, VERIFIED), _r(2, SUBMITTED, "0.75"), _r(3, DRAFT, "0.8")),
    ),
    DemoPlan(
        "Disdik",
        "opd.disdik",
        VERIFIED,
        (
            A(
                "Bantuan biaya pendidikan bagi siswa dari keluarga miskin",
                "1.01.02.2.01.0009",
                1,
                "Siswa desil 1–2 menerima bantuan biaya pendidikan",
                "siswa",
                (150, 150, 150, 150),
                900_000_000,
                APBD,
                DIRECT,
                NON_PRODUCTIVE,
            ),
            A(
                "Pendataan anak tidak sekolah dari keluarga miskin",
                "1.01.02.2.02.0011",
                1,
                "Angka partisipasi sekolah anak keluarga desil 1–4",
                "%",
                (92, 93, 94, 95),
                60_000_000,
                APBD,
                SUPPORTING,
                adds_up=False,
            ),
        ),
        reports=(
            _r(1, VERIFIED),
            _r(
                2,
                VERIFIED,
                "1.02",
                corrected="Lampirkan SK penerima bantuan biaya pendidikan triwulan II.",
            ),
            _r(3, VERIFIED),
        ),
    ),
    DemoPlan(
        "Dinkes",
        "opd.dinkes",
        VERIFIED,
        (
            A(
                "Iuran JKN penduduk miskin yang tidak ditanggung APBN",
                "1.02.02.2.02.0001",
                1,
                "Penduduk miskin terdaftar sebagai PBI daerah",
                "jiwa",
                (4_800, 5_000, 5_200, 5_400),
                2_268_000_000,
                APBD,
                DIRECT,
                adds_up=False,
            ),
            A(
                "Pemberian makanan tambahan bagi balita gizi kurang dari keluarga miskin",
                "1.02.02.2.02.0034",
                1,
                "Balita gizi kurang menerima makanan tambahan",
                "balita",
                (60, 60, 60, 60),
                144_000_000,
                APBD,
                DIRECT,
                NON_PRODUCTIVE,
                villages=(TARJUN, SUNGAI_TAIB),
            ),
        ),
        reports=(_r(1, VERIFIED), _r(2, VERIFIED, "0.9"), _r(3, SUBMITTED, "0.85")),
    ),
    DemoPlan(
        "BPBD",
        "opd.bpbd",
        SUBMITTED,
        (
            A(
                "Rehabilitasi rumah warga miskin terdampak bencana",
                "1.05.03.2.02.0001",
                3,
                "Rumah terdampak bencana direhabilitasi",
                "unit",
                (0, 10, 10, 5),
                375_000_000,
                APBD,
                INDIRECT,
                villages=(STAGEN,),
            ),
            A(
                "Pembentukan desa tangguh bencana di kantong kemiskinan",
                "1.05.03.2.01.0005",
                3,
                "Desa tangguh bencana terbentuk",
                "desa",
                (0, 2, 2, 1),
                100_000_000,
                APBD,
                SUPPORTING,
            ),
        ),
        corrected=(
            "Kegiatan rehabilitasi rumah belum menyebutkan desa sasaran dan kode sub "
            "kegiatannya. Lengkapi, lalu kirim ulang."
        ),
    ),
    DemoPlan(
        "Disbudporapar",
        "opd.disbudporapar",
        DRAFT,
        (
            A(
                "Pelatihan pemandu wisata bagi pemuda dari keluarga miskin",
                "3.26.03.2.01.0002",
                2,
                "Pemuda terlatih sebagai pemandu wisata",
                "orang",
                (0, 15, 15, 0),
                90_000_000,
                APBD,
                INDIRECT,
                PRODUCTIVE,
            ),
            A(
                "Pengembangan desa wisata di kantong kemiskinan",
                "3.26.02.2.02.0001",
                3,
                "Desa wisata berkembang",
                "desa",
                (0, 0, 1, 1),
                150_000_000,
                DANA_DESA,
                SUPPORTING,
            ),
        ),
    ),
    DemoPlan(
        "DKUMPP",
        "opd.dkumpp",
        VERIFIED,
        (
            A(
                "Pelatihan dan modal usaha mikro bagi warga miskin produktif",
                "2.17.05.2.01.0001",
                2,
                "Usaha mikro baru dari warga miskin produktif",
                "unit usaha",
                (10, 15, 15, 10),
                400_000_000,
                APBD,
                DIRECT,
                PRODUCTIVE,
                program="KTB-PUM-2025",
                villages=(TEGAL_REJO, TARJUN),
            ),
            A(
                "Fasilitasi kemitraan usaha mikro dengan perusahaan mitra CSR",
                "2.17.04.2.02.0003",
                4,
                "Perjanjian kemitraan ditandatangani",
                "naskah",
                (1, 1, 1, 1),
                50_000_000,
                CSR,
                SUPPORTING,
            ),
            A(
                "Pendampingan usaha mikro binaan",
                "2.17.05.2.02.0004",
                2,
                "Usaha mikro binaan yang masih beroperasi",
                "%",
                (85, 85, 88, 90),
                35_000_000,
                APBD,
                INDIRECT,
                PRODUCTIVE,
                adds_up=False,
            ),
        ),
        reports=(_r(1, VERIFIED, "0.6"), _r(2, VERIFIED, "0.55"), _r(3, VERIFIED, "0.6")),
    ),
    DemoPlan(
        "Distan",
        "opd.distan",
        VERIFIED,
        (
            A(
                "Bantuan benih dan pupuk bagi petani miskin",
                "3.27.03.2.01.0001",
                2,
                "Petani miskin menerima sarana produksi pertanian",
                "orang",
                (100, 150, 100, 50),
                600_000_000,
                APBN,
                INDIRECT,
                PRODUCTIVE,
            ),
            A(
                "Pekarangan pangan lestari di desa kantong kemiskinan",
                "3.27.02.2.03.0004",
                1,
                "Kelompok wanita tani aktif mengelola pekarangan",
                "kelompok",
                (5, 5, 5, 5),
                200_000_000,
                APBD,
                DIRECT,
                PRODUCTIVE,
                villages=(LANGADAI, TIRAWAN),
            ),
        ),
        reports=(_r(1, VERIFIED, "1.05"), _r(2, VERIFIED, "0.9"), _r(3, MISSING, reminded=True)),
    ),
    DemoPlan(
        "DKPP",
        "opd.dkpp",
        VERIFIED,
        (
            A(
                "Bantuan alat tangkap bagi nelayan miskin",
                "3.25.02.2.01.0002",
                2,
                "Nelayan miskin menerima alat tangkap",
                "orang",
                (0, 40, 40, 20),
                500_000_000,
                APBD,
                DIRECT,
                PRODUCTIVE,
                villages=(STAGEN,),
            ),
            A(
                "Penyaluran cadangan pangan pemerintah daerah",
                "2.09.02.2.01.0001",
                1,
                "Keluarga rawan pangan menerima cadangan pangan",
                "keluarga",
                (250, 250, 250, 250),
                300_000_000,
                APBD,
                DIRECT,
                NON_PRODUCTIVE,
            ),
        ),
        reports=(_r(1, VERIFIED, "0.8"), _r(2, VERIFIED, "0.7"), _r(3, SUBMITTED, "0.6")),
    ),
    DemoPlan(
        "DPMD",
        "opd.dpmd",
        REVISION,
        (
            A(
                "Pembinaan BUMDes di desa dengan keluarga miskin terbanyak",
                "2.13.04.2.01.0002",
                4,
                "BUMDes aktif bermitra dengan perusahaan",
                "BUMDes",
                (2, 2, 2, 2),
                120_000_000,
                APBD,
                SUPPORTING,
                villages=(TEGAL_REJO,),
            ),
            A(
                "Pendampingan penggunaan Dana Desa untuk penanggulangan kemiskinan",
                "2.13.05.2.01.0001",
                3,
                "Desa yang mengalokasikan Dana Desa bagi warga miskin",
                "%",
                (40, 55, 70, 80),
                85_000_000,
                APBD,
                INDIRECT,
                adds_up=False,
            ),
        ),
        reports=(_r(1, VERIFIED), _r(2, VERIFIED), _r(3, VERIFIED, "0.95")),
        comment="Menambah kegiatan padat karya tunai desa sesuai APBD Perubahan.",
        revision=(
            A(
                "Padat karya tunai desa bagi warga miskin",
                "2.13.05.2.01.0004",
                2,
                "Warga miskin bekerja dalam padat karya tunai",
                "orang",
                (0, 0, 0, 150),
                225_000_000,
                DANA_DESA,
                DIRECT,
                PRODUCTIVE,
            ),
        ),
    ),
    DemoPlan(
        "Dinas PUPRP",
        "opd.puprp",
        RETURNED,
        (
            A(
                "Pembangunan jaringan air minum di desa kantong kemiskinan",
                "1.03.03.2.01.0010",
                3,
                "Sambungan rumah air minum bagi keluarga miskin",
                "SR",
                (0, 100, 150, 150),
                1_200_000_000,
                APBD,
                INDIRECT,
            ),
            A(
                "Peningkatan jalan poros desa terisolir",
                "1.03.10.2.01.0021",
                3,
                "Jalan poros desa ditingkatkan",
                "km",
                (0, 2, 3, 3),
                3_500_000_000,
                APBD,
                SUPPORTING,
            ),
        ),
        comment=(
            "Sambungan air minum belum menyebutkan desa sasaran, dan anggaran jalan poros "
            "desa belum sesuai DPA. Sesuaikan dengan DPA, lalu kirim ulang."
        ),
    ),
    DemoPlan(
        "DisperkimLH",
        "opd.disperkimlh",
        VERIFIED,
        (
            A(
                "Bedah rumah tidak layak huni bagi keluarga miskin",
                "1.04.02.2.01.0003",
                3,
                "Rumah tidak layak huni diperbaiki",
                "unit",
                (0, 40, 60, 50),
                2_250_000_000,
                APBD,
                DIRECT,
                NON_PRODUCTIVE,
                villages=(SUNGAI_TAIB, TIRAWAN, STAGEN),
            ),
            A(
                "Sanitasi layak bagi rumah tangga miskin",
                "1.04.03.2.01.0007",
                3,
                "Rumah tangga miskin dengan sanitasi layak",
                "%",
                (62, 64, 66, 68),
                350_000_000,
                APBN,
                INDIRECT,
                adds_up=False,
            ),
        ),
        reports=(
            _r(1, VERIFIED),
            _r(2, VERIFIED, "0.85"),
            _r(
                3,
                RETURNED,
                "0.9",
                comment=(
                    "Foto rumah sebelum dan sesudah perbaikan belum dilampirkan untuk 20 unit. "
                    "Lengkapi bukti, lalu kirim ulang."
                ),
            ),
        ),
    ),
    DemoPlan(
        "Dishub",
        "opd.dishub",
        VERIFIED,
        (
            A(
                "Subsidi angkutan perdesaan bagi desa terisolir",
                "2.15.02.2.01.0005",
                1,
                "Trayek angkutan perdesaan bersubsidi",
                "trayek",
                (3, 3, 4, 4),
                480_000_000,
                APBD,
                INDIRECT,
                adds_up=False,
            ),
            A(
                "Angkutan sekolah gratis bagi pelajar dari keluarga miskin",
                "2.15.02.2.02.0002",
                1,
                "Pelajar miskin terlayani angkutan sekolah gratis",
                "orang",
                (150, 150, 100, 150),
                240_000_000,
                APBD,
                DIRECT,
                NON_PRODUCTIVE,
            ),
        ),
        reports=(_r(1, VERIFIED, "0.9"), _r(2, MISSING, reminded=True), _r(3, MISSING)),
    ),
    DemoPlan(
        "Disdukcapil",
        "opd.disdukcapil",
        VERIFIED,
        (
            A(
                "Layanan jemput bola dokumen kependudukan bagi warga miskin",
                "2.12.02.2.01.0003",
                1,
                "Dokumen kependudukan terbit bagi warga miskin",
                "dokumen",
                (300, 300, 300, 300),
                150_000_000,
                APBD,
                SUPPORTING,
                villages=(LANGADAI, TEGAL_REJO, TARJUN),
            ),
            A(
                "Pemadanan NIK penduduk desil 1–4 dengan DTSEN",
                "2.12.03.2.01.0002",
                1,
                "Penduduk desil 1–4 dengan NIK padan",
                "%",
                (95, 96, 97, 98),
                40_000_000,
                APBD,
                SUPPORTING,
                adds_up=False,
            ),
        ),
        reports=(_r(1, VERIFIED, "1.1"), _r(2, VERIFIED), _r(3, VERIFIED)),
    ),
    DemoPlan(
        "DPMPTSP",
        "opd.dpmptsp",
        VERIFIED,
        (
            A(
                "Forum investasi dan CSR untuk penanggulangan kemiskinan",
                "2.18.02.2.01.0001",
                4,
                "Perusahaan bergabung dalam Forum CSR",
                "perusahaan",
                (5, 10, 10, 25),
                75_000_000,
                APBD,
                SUPPORTING,
            ),
            A(
                "Perizinan berusaha gratis bagi usaha mikro warga miskin",
                "2.18.03.2.02.0002",
                2,
                "Usaha mikro warga miskin memperoleh NIB",
                "NIB",
                (50, 50, 50, 50),
                30_000_000,
                APBD,
                INDIRECT,
                PRODUCTIVE,
            ),
        ),
        reports=(_r(1, VERIFIED, "0.6"), _r(2, VERIFIED, "0.8"), _r(3, SUBMITTED, "0.9")),
    ),
    DemoPlan(
        "Bappedalitbang",
        "opd.bappedalitbang",
        VERIFIED,
        (
            A(
                "Rapat koordinasi TKPK",
                "5.01.02.2.01.0007",
                4,
                "Rapat koordinasi TKPK terlaksana",
                "kali",
                (1, 1, 1, 1),
                120_000_000,
                APBD,
                SUPPORTING,
            ),
            A(
                "Penyusunan laporan pelaksanaan penanggulangan kemiskinan daerah",
                "5.01.02.2.01.0012",
                4,
                "Laporan pelaksanaan penanggulangan kemiskinan tersusun",
                "dokumen",
                (0, 0, 0, 1),
                60_000_000,
                APBD,
                SUPPORTING,
            ),
            A(
                "Sinkronisasi program perangkat daerah dengan DTSEN",
                "5.01.03.2.01.0003",
                4,
                "Program perangkat daerah yang menyasar desil 1–4",
                "%",
                (50, 60, 70, 80),
                adds_up=False,
            ),
        ),
        reports=(_r(1, VERIFIED), _r(2, VERIFIED), _r(3, VERIFIED)),
    ),
)


# --- writing it, through the services ------------------------------------------------


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> list[User]:
    """Add this year's plan of every demo agency without one, and their progress;
    idempotent. Returns the agency operators it added or refreshed (for the sign-in list)."""
    today = today or timezone.localdate()
    secretariat = User.objects.get(username=SECRETARIAT)
    operators = _operators(secretariat)
    agencies = Agency.objects.in_bulk([demo.agency for demo in DEMO_PLANS], field_name="acronym")
    planned = set(
        ActionPlan.objects.filter(year=today.year, agency__in=agencies.values()).values_list(
            "agency__acronym", flat=True
        )
    )
    story = _Story(today=today, secretariat=secretariat)
    for demo in DEMO_PLANS:
        if demo.agency in agencies and demo.agency not in planned:
            story.plan(demo, agencies[demo.agency], operators[demo.operator])
    return [user for user in operators.values() if user.username not in _TKPK_DEMO_USERS]


# tkpk.demo's agency operators, already listed by seed_demo.
_TKPK_DEMO_USERS = {"opd.dinsos", "opd.disnakertrans"}


def _operators(secretariat: User) -> dict[str, User]:
    """Each demo agency's operator: tkpk.demo's two, and one added here for each other,
    with the demo password: tkpk.demo has just set it for the secretariat, and hashing it
    again (slow on purpose) would cost most of a second."""
    users = {u.username: u for u in User.objects.filter(username__in=_TKPK_DEMO_USERS)}
    agencies = Agency.objects.in_bulk([demo.agency for demo in DEMO_PLANS], field_name="acronym")
    password = secretariat.password
    for demo in DEMO_PLANS:
        if demo.operator in users or demo.agency not in agencies:
            continue
        user, _created = User.objects.update_or_create(
            username=demo.operator,
            defaults={
                "name": f"Operator {demo.agency}",
                "role": Role.AGENCY,
                "agency": agencies[demo.agency],
                "partner": None,
                "is_active": True,
                "password": password,
            },
        )
        users[user.username] = user
    return users


NINE_AM = datetime.time(9)


class _Story:
    """Writes one demo plan step by step, each step dated as the story tells it."""

    def __init__(self, *, today: datetime.date, secretariat: User) -> None:
        self.today = today
        self.year = today.year
        self.secretariat = secretariat
        self.now = timezone.now()
        self.due = deadlines(self.year)
        self.pillars = {pillar.order: pillar for pillar in Pillar.objects.all()}
        codes = {a.program for demo in DEMO_PLANS for a in demo.activities if a.program}
        self.programs = Program.objects.in_bulk(codes, field_name="code")
        villages = {v for demo in DEMO_PLANS for a in demo.activities for v in a.villages}
        self.villages = Area.objects.in_bulk(villages)

    def moment(self, day: datetime.date) -> datetime.datetime:
        """Nine in the morning of `day`, or now if that is still to come."""
        return min(self.now, timezone.make_aware(datetime.datetime.combine(day, NINE_AM)))

    def on(self, day: datetime.date, step: Callable[[], T]) -> T:
        """Do `step` and date the history entries it wrote `day`."""
        last = PlanEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        result = step()
        PlanEvent.objects.filter(pk__gt=last).update(at=self.moment(day))
        return result

    def day(self, month: int, day: int) -> datetime.date:
        return datetime.date(self.year, month, day)

    # --- the plan

    def plan(self, demo: DemoPlan, agency: Agency, operator: User) -> None:
        late_plan = demo.outcome in (DRAFT, RETURNED)  # started or sent late in the year
        start = self.day(11, 2) if late_plan else self.day(1, 6)
        plan = self.on(start, lambda: plan_create(agency=agency, year=self.year, by=operator))
        ActionPlan.objects.filter(pk=plan.pk).update(created_at=self.moment(start))
        self.activities(plan, demo.activities, operator, start)
        if demo.outcome == DRAFT:
            return
        sent = self.day(11, 10) if late_plan else self.day(1, 20)
        plan = self.submit(plan, operator, sent)
        if demo.corrected:
            plan = self.review(plan, sent + datetime.timedelta(days=7), comment=demo.corrected)
            sent = self.day(11, 23)
            plan = self.submit(plan, operator, sent)
        if demo.outcome == SUBMITTED:
            return
        if demo.outcome == RETURNED:
            self.review(plan, sent + datetime.timedelta(days=7), comment=demo.comment)
            return
        plan = self.review(plan, sent + datetime.timedelta(days=7))
        for report in demo.reports:
            if quarter_start(self.year, report.quarter) <= self.today:
                self.report(plan, report, operator)
        if demo.outcome == REVISION:
            opened = self.day(10, 20)
            plan = self.on(
                opened, lambda: plan_revise(plan=plan, by=operator, comment=demo.comment)
            )
            self.activities(plan, demo.revision, operator, opened, first=len(demo.activities))

    def activities(
        self,
        plan: ActionPlan,
        activities: tuple[DemoActivity, ...],
        operator: User,
        day: datetime.date,
        first: int = 0,
    ) -> None:
        for position, demo in enumerate(activities, start=first + 1):
            activity = Activity(
                plan=plan,
                position=position,
                name=demo.name,
                sub_activity_code=demo.code,
                pillar=self.pillars[demo.pillar],
                program=self.programs.get(demo.program),
                indicator=demo.indicator,
                unit=demo.unit,
                target=demo.target,
                target_q1=demo.quarters[0],
                target_q2=demo.quarters[1],
                target_q3=demo.quarters[2],
                target_q4=demo.quarters[3],
                adds_up=demo.adds_up,
                budget=demo.budget,
                funding_source=demo.source,
                budget_tag=demo.tag,
                target_group=demo.group,
            )
            villages = [self.villages[code] for code in demo.villages if code in self.villages]
            self.on(
                day,
                lambda a=activity, v=villages: activity_save(
                    activity=a, version=None, by=operator, villages=v
                ),
            )
            Activity.objects.filter(pk=activity.pk).update(updated_at=self.moment(day))

    def submit(self, plan: ActionPlan, operator: User, day: datetime.date) -> ActionPlan:
        plan.refresh_from_db()
        return self.on(day, lambda: plan_submit(plan=plan, version=plan.version, by=operator))

    def review(self, plan: ActionPlan, day: datetime.date, comment: str = "") -> ActionPlan:
        plan.refresh_from_db()
        return self.on(
            day,
            lambda: plan_review(
                plan=plan,
                version=plan.version,
                verified=not comment,
                comment=comment,
                by=self.secretariat,
            ),
        )

    # --- a quarter's report

    def report(self, plan: ActionPlan, demo: DemoReport, operator: User) -> None:
        due = self.due[demo.quarter]
        if demo.outcome != MISSING:
            self.report_write(plan, demo, operator, due)
        self.remind(plan, demo, due)

    def report_write(
        self, plan: ActionPlan, demo: DemoReport, operator: User, due: datetime.date
    ) -> None:
        """Progress entered a week before the deadline, sent two days before it, reviewed
        three days after it."""
        report = quarter_report_open(plan=plan, quarter=demo.quarter, today=self.today)
        activities = list(plan.activities.filter(agreed=True).order_by("position"))
        if demo.outcome == DRAFT:
            activities = activities[:1]  # begun, never finished
        entered = due - datetime.timedelta(days=6)
        entries = [
            self.progress(report, activity, index, demo, operator, entered)
            for index, activity in enumerate(activities)
        ]
        if demo.outcome == DRAFT:
            return
        report = self.report_submit(report, operator, due - datetime.timedelta(days=2))
        reviewed = due + datetime.timedelta(days=3)
        if demo.corrected:
            report = self.report_review(report, reviewed, comment=demo.corrected)
            again = reviewed + datetime.timedelta(days=4)
            for entry in entries:
                entry.narrative += " Dilengkapi sesuai catatan sekretariat."
                self.on(
                    again,
                    lambda e=entry: progress_save(progress=e, version=e.version, by=operator),
                )
            report = self.report_submit(report, operator, again)
            reviewed = again + datetime.timedelta(days=3)
        if demo.outcome != SUBMITTED:
            self.report_review(report, reviewed, comment=demo.comment)

    def progress(
        self,
        report: QuarterReport,
        activity: Activity,
        index: int,
        demo: DemoReport,
        operator: User,
        day: datetime.date,
    ) -> Progress:
        quarter = demo.quarter
        target = activity.quarter_target(quarter)
        realised = _rounded(target * demo.pace * WOBBLE[index % len(WOBBLE)], activity.unit)
        if activity.unit == "%":
            realised = min(realised, Decimal(100))
        share = target / activity.target if activity.adds_up else Decimal("0.25")
        spent = activity.budget * share * min(demo.pace, Decimal(1)) * Decimal("0.9")
        spent = (spent / 1000).quantize(Decimal(1)) * 1000  # in thousands of rupiah
        behind = demo.pace < Decimal("0.8")
        progress = Progress(
            report=report,
            activity=activity,
            realised=realised,
            spent=spent,
            beneficiaries=int(realised) if activity.unit in PEOPLE_UNITS else None,
            narrative=(
                f"Realisasi triwulan {ROMAN[quarter]}: {_written(realised)} {activity.unit} "
                f"dari target {_written(target)} {activity.unit}."
            ),
            problems=(
                "Pencairan anggaran terlambat dan sebagian calon penerima belum padan dengan "
                "DTSEN; kegiatan dikejar pada triwulan berikutnya."
                if behind
                else ""
            ),
        )
        evidence = []
        if index == 0 and demo.outcome != DRAFT:
            evidence.append(_evidence(report, activity))
        self.on(
            day,
            lambda: progress_save(progress=progress, version=None, by=operator, evidence=evidence),
        )
        Progress.objects.filter(pk=progress.pk).update(updated_at=self.moment(day))
        return progress

    def report_submit(
        self, report: QuarterReport, operator: User, day: datetime.date
    ) -> QuarterReport:
        report.refresh_from_db()
        report = self.on(
            day, lambda: report_submit(report=report, version=report.version, by=operator)
        )
        QuarterReport.objects.filter(pk=report.pk).update(submitted_at=self.moment(day))
        return report

    def report_review(
        self, report: QuarterReport, day: datetime.date, comment: str = ""
    ) -> QuarterReport:
        report.refresh_from_db()
        report = self.on(
            day,
            lambda: report_review(
                report=report,
                version=report.version,
                verified=not comment,
                comment=comment,
                by=self.secretariat,
            ),
        )
        QuarterReport.objects.filter(pk=report.pk).update(reviewed_at=self.moment(day))
        return report

    def remind(self, plan: ActionPlan, demo: DemoReport, due: datetime.date) -> None:
        if not demo.reminded or due >= self.today:
            return
        reminded = min(due + datetime.timedelta(days=14), self.today)
        self.on(
            reminded,
            lambda: reminder_send(plan=plan, quarter=demo.quarter, due_on=due, by=self.secretariat),
        )


def _rounded(value: Decimal, unit: str) -> Decimal:
    """A percentage to one decimal, a count to a whole number."""
    step = Decimal("0.1") if unit == "%" else Decimal(1)
    return value.quantize(step, rounding=ROUND_HALF_UP)


def _written(value: Decimal) -> str:
    """A number as the narrative, in Indonesian, writes it: 1.200 or 92,5."""
    whole, _dot, fraction = f"{value.normalize():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


def _evidence(report: QuarterReport, activity: Activity):
    """An example PDF, checked by content as an operator's upload is."""
    agency = report.plan.agency.acronym
    name = f"Bukti {agency} TW {ROMAN[report.quarter]} {report.plan.year}.pdf"
    lines = [
        f"Bukti realisasi triwulan {ROMAN[report.quarter]} {report.plan.year}",
        agency,
        activity.name,
    ]
    upload = ContentFile(example_pdf([*lines, "", "Dokumen contoh untuk demo, bukan asli."]))
    upload.name = name
    return document_check(upload, DOCUMENTS)
