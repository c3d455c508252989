"""The story of the demo's action plans, as data: each agency's plan, its activities and
what happens to each quarter's report (see programs.plan_demo)."""

from dataclasses import dataclass
from decimal import Decimal

from programs.models import (
    BudgetTag,
    FundingSource,
    ReviewStatus,
    TargetGroup,
)

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
