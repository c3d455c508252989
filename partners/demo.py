"""The demo's partners: the Kotabaru joint commitment of 4 October 2025 and a few others.

From seed 000 (Kotabaru, 4 October 2025): the signing date, the program it serves
(KTB-WMP-2025), the eight signing partners and their names, that they operate in
Kecamatan Kelumpang Hilir, the government signatories, and the deputy regent's wish for
at least 50 companies the next year. The partner types follow the issue: six private
companies, a regional bank (BUMD) and a BUMDes; the seed's "Pulau Laur" is read as
Pulau Laut, the island the refinery is named after.

Invented for the demo: every pledge and its amount (the rupiah pledged add up to the
program's CSR budget line), the commitment's period, the realisations, their dates, notes
and the secretariat's comments, the sectors, the places of those seed 000 does not place
(the regency's capital district), the forum memberships, the general commitment of
Baznas Kabupaten Kotabaru and the Forum CSR Kabupaten Kotabaru, the partners without a
commitment, the 2025 target, and the signed documents and evidence. The pages say so:
every pledge's description ends in "(nilai contoh)", the general commitment's title in
"(contoh)", and each PDF says it is an example.

Every write goes through partners.services, as a user's would: the secretariat adds the
partners and commitments and reviews; `mitra` records PT Arutmin's realisations, the
secretariat those of partners without an operator in the demo.
"""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from households.models import Area
from partners.models import (
    RUPIAH,
    Commitment,
    Partner,
    PartnerKind,
    Pledge,
    PledgeKind,
    Realisation,
    RealisationStatus,
)
from partners.services import (
    commitment_save,
    partner_save,
    partner_target_set,
    realisation_review,
    realisation_save,
)
from programs.models import Enrollment, EnrollmentStatus, Program
from tkpk.documents import DOCUMENTS, CheckedDocument, document_check
from tkpk.models import User

D = datetime.date
SECRETARIAT = "sekretariat"
OPERATOR = "mitra"  # the demo's partner operator, PT Arutmin's CSR officer
PROGRAM = "KTB-WMP-2025"
EXAMPLE = "nilai contoh"

# Area codes (households/demo/wilayah_demo.csv); the villages are KTB-WMP-2025's five.
KELUMPANG_HILIR, PULAULAUT_UTARA = "63.02.17", "63.02.06"
LANGADAI, TEGAL_REJO, TARJUN = "63.02.17.2003", "63.02.17.2006", "63.02.17.2002"
SUNGAI_TAIB, TIRAWAN = "63.02.06.2013", "63.02.22.2005"

COMPANY, BUMD, BUMDES = PartnerKind.COMPANY, PartnerKind.BUMD, PartnerKind.BUMDES
MONEY, GOODS, JOBS = PledgeKind.MONEY, PledgeKind.GOODS, PledgeKind.JOBS
TRAINING, CAPITAL, OTHER = PledgeKind.TRAINING, PledgeKind.CAPITAL, PledgeKind.OTHER
VERIFIED, SUBMITTED = RealisationStatus.VERIFIED, RealisationStatus.SUBMITTED
RETURNED = RealisationStatus.RETURNED


@dataclass(frozen=True)
class DemoPartner:
    name: str
    kind: str
    sector: str = ""
    area: str = ""
    in_csr_forum: bool = False


ARUTMIN = "PT Arutmin Indonesia NPLCT"
INDOCEMENT = "PT Indocement Tunggal Prakasa Unit Tarjun"
GUTHRIE = "PT Guthrie Internasional Pulau Laut Refinery"
AKR = "PT AKR Corporindo Tbk"
SMART = "PT Smart Tbk Unit Tarjun"
JASA_BARATANA = "PT Jasa Baratana Anugerah"
BANK_KALSEL = "Bank Kalsel Cabang Kotabaru"
BUMDES_TEGALREJO = "BUMDes Pesona Rejo Jata Tegalrejo"
BAZNAS = "Baznas Kabupaten Kotabaru"
CSR_FORUM = "Forum CSR Kabupaten Kotabaru"

PARTNERS = (
    # The eight signatories of seed 000, in its order.
    DemoPartner(ARUTMIN, COMPANY, "Pertambangan (terminal batu bara)", KELUMPANG_HILIR, True),
    DemoPartner(INDOCEMENT, COMPANY, "Industri semen", TARJUN, True),
    DemoPartner(GUTHRIE, COMPANY, "Pengolahan minyak sawit", KELUMPANG_HILIR, True),
    DemoPartner(AKR, COMPANY, "Distribusi bahan bakar dan bahan kimia", KELUMPANG_HILIR, True),
    DemoPartner(SMART, COMPANY, "Perkebunan dan pengolahan kelapa sawit", TARJUN, True),
    DemoPartner(JASA_BARATANA, COMPANY, "", KELUMPANG_HILIR),
    DemoPartner(BANK_KALSEL, BUMD, "Perbankan", PULAULAUT_UTARA, True),
    DemoPartner(BUMDES_TEGALREJO, BUMDES, "Usaha desa", TEGAL_REJO),
    # The general commitment's signatories.
    DemoPartner(BAZNAS, PartnerKind.BAZNAS, "Zakat, infak dan sedekah", PULAULAUT_UTARA),
    # A forum of companies, not a company: "other", and a member of itself.
    DemoPartner(CSR_FORUM, PartnerKind.OTHER, "Forum perusahaan", PULAULAUT_UTARA, True),
    # Partners with no commitment yet, so that the list's filters show something.
    DemoPartner(
        "Pimpinan Daerah Aisyiyah Kabupaten Kotabaru",
        PartnerKind.COMMUNITY,
        "Organisasi keagamaan",
        PULAULAUT_UTARA,
    ),
    DemoPartner(
        "Lembaga Amil Zakat Nahdlatul Ulama (LAZISNU) Kotabaru",
        PartnerKind.COMMUNITY,
        "Zakat, infak dan sedekah",
        PULAULAUT_UTARA,
    ),
    DemoPartner("Universitas Lambung Mangkurat", PartnerKind.UNIVERSITY, "Pendidikan tinggi"),
    DemoPartner(
        "PT Bank Rakyat Indonesia (Persero) Tbk Cabang Kotabaru",
        PartnerKind.BUMN,
        "Perbankan",
        PULAULAUT_UTARA,
        True,
    ),
)

# How many partners the region wants with an active commitment: 50 for 2026 is the
# deputy regent's wish (seed 000); 2025's figure is invented.
TARGETS = ((2025, 10), (2026, 50))


@dataclass(frozen=True)
class DemoPledge:
    key: str  # names the pledge for its realisations
    partner: str
    kind: str
    quantity: int
    what: str  # the description, before "(nilai contoh)"
    unit: str = ""
    village: str = ""

    @property
    def description(self) -> str:
        return f"{self.what} ({EXAMPLE})"


@dataclass(frozen=True)
class DemoRealisation:
    pledge: str  # a DemoPledge key
    delivered_on: datetime.date
    quantity: int
    note: str
    outcome: str  # a RealisationStatus
    comment: str = ""
    participants: int = 0  # how many of the program's participants it names
    evidence: str = ""  # the title of an example evidence PDF, if any


@dataclass(frozen=True)
class DemoCommitment:
    title: str
    program: str | None
    signed_on: datetime.date
    start: datetime.date
    end: datetime.date
    signatories: tuple[str, ...]
    pledges: tuple[DemoPledge, ...]
    realisations: tuple[DemoRealisation, ...]
    document: str  # the example PDF's file name

    @property
    def partners(self) -> list[str]:
        return list(dict.fromkeys(pledge.partner for pledge in self.pledges))


PEOPLE = "orang"

KOTABARU = DemoCommitment(
    title="Komitmen Bersama Intervensi Warga Miskin Produktif di Kabupaten Kotabaru",
    program=PROGRAM,
    signed_on=D(2025, 10, 4),
    # Invented: the program's six months and the continuation seed 000 announces.
    start=D(2025, 10, 4),
    end=D(2027, 12, 31),
    signatories=(
        "Wakil Bupati Kotabaru, Syairi Mukhlis, S.Sos",
        "Asisten Pemerintahan dan Kesra Setda Kotabaru, Drs. Minggu Basuki, M.AP",
        "Kepala BPS Kabupaten Kotabaru",
    ),
    pledges=(
        DemoPledge("ARU-1", ARUTMIN, MONEY, 40_000_000, "Biaya pelatihan keterampilan kerja"),
        DemoPledge("ARU-2", ARUTMIN, JOBS, 4, "Tenaga kerja harian di terminal", PEOPLE),
        DemoPledge(
            "ARU-3",
            ARUTMIN,
            TRAINING,
            10,
            "Pelatihan operator alat berat dan pengelasan",
            PEOPLE,
            SUNGAI_TAIB,
        ),
        DemoPledge(
            "ITP-1", INDOCEMENT, CAPITAL, 30_000_000, "Modal usaha kelompok peserta", RUPIAH, TARJUN
        ),
        DemoPledge("ITP-2", INDOCEMENT, JOBS, 3, "Penempatan kerja di pabrik", PEOPLE, TARJUN),
        DemoPledge(
            "GPL-1",
            GUTHRIE,
            TRAINING,
            10,
            "Pelatihan pengolahan hasil kebun",
            PEOPLE,
            TEGAL_REJO,
        ),
        DemoPledge("GPL-2", GUTHRIE, GOODS, 20, "Paket peralatan usaha", "paket"),
        DemoPledge("AKR-1", AKR, MONEY, 25_000_000, "Dana pendampingan usaha peserta"),
        DemoPledge(
            "SMT-1", SMART, CAPITAL, 20_000_000, "Modal usaha ternak dan kebun", RUPIAH, LANGADAI
        ),
        DemoPledge(
            "SMT-2", SMART, GOODS, 1_000, "Bibit tanaman buah dan sayur", "batang", LANGADAI
        ),
        DemoPledge(
            "JBA-1", JASA_BARATANA, MONEY, 10_000_000, "Biaya transportasi peserta pelatihan"
        ),
        DemoPledge("JBA-2", JASA_BARATANA, JOBS, 2, "Tenaga kerja di armada angkutan", PEOPLE),
        DemoPledge(
            "BKS-1",
            BANK_KALSEL,
            CAPITAL,
            60_000_000,
            "Modal usaha bergulir bagi peserta",
            RUPIAH,
            TIRAWAN,
        ),
        DemoPledge(
            "BKS-2",
            BANK_KALSEL,
            TRAINING,
            37,
            "Pelatihan literasi keuangan dan pembukaan rekening",
            PEOPLE,
        ),
        DemoPledge(
            "BUM-1", BUMDES_TEGALREJO, JOBS, 2, "Pekerja unit usaha BUMDes", PEOPLE, TEGAL_REJO
        ),
        DemoPledge(
            "BUM-2",
            BUMDES_TEGALREJO,
            OTHER,
            2,
            "Kios pemasaran hasil usaha peserta",
            "kios",
            TEGAL_REJO,
        ),
    ),
    realisations=(
        # PT Arutmin's, entered by `mitra`: one verified, one returned, one awaiting.
        DemoRealisation(
            "ARU-1",
            D(2025, 11, 14),
            20_000_000,
            "Transfer tahap I ke rekening panitia pelatihan.",
            VERIFIED,
            evidence="Bukti transfer tahap I",
        ),
        DemoRealisation(
            "ARU-1",
            D(2026, 1, 20),
            10_000_000,
            "Transfer tahap II.",
            RETURNED,
            comment=(
                "Bukti transfer belum dilampirkan. Lampirkan bukti transfer dan berita acara "
                "serah terima, lalu kirim ulang."
            ),
        ),
        DemoRealisation(
            "ARU-2", D(2026, 2, 16), 2, "Dua peserta bekerja sebagai tenaga harian.", SUBMITTED
        ),
        # The others', entered by the secretariat.
        DemoRealisation(
            "ITP-1",
            D(2025, 12, 10),
            30_000_000,
            "Modal usaha diserahkan kepada kelompok peserta Desa Tarjun.",
            VERIFIED,
            evidence="Berita acara serah terima modal usaha",
        ),
        DemoRealisation(
            "ITP-2",
            D(2026, 4, 6),
            3,
            "Tiga lulusan program diterima bekerja di pabrik.",
            VERIFIED,
            participants=3,
        ),
        DemoRealisation(
            "GPL-1",
            D(2025, 11, 24),
            10,
            "Pelatihan lima hari; delapan peserta program dan dua warga lain.",
            VERIFIED,
            participants=8,
            evidence="Daftar hadir pelatihan",
        ),
        DemoRealisation("GPL-2", D(2026, 1, 15), 12, "Dua belas paket diserahkan.", SUBMITTED),
        DemoRealisation(
            "AKR-1", D(2025, 12, 1), 25_000_000, "Dana pendampingan ditransfer penuh.", VERIFIED
        ),
        DemoRealisation(
            "SMT-1",
            D(2026, 1, 8),
            10_000_000,
            "Modal usaha tahap I.",
            RETURNED,
            comment="Daftar penerima modal belum dilampirkan.",
        ),
        DemoRealisation("SMT-2", D(2025, 11, 3), 500, "Bibit dibagikan di balai desa.", VERIFIED),
        DemoRealisation(
            "BKS-2",
            D(2025, 10, 20),
            37,
            "Pelatihan literasi keuangan bagi seluruh peserta.",
            VERIFIED,
        ),
        DemoRealisation(
            "BKS-1", D(2026, 2, 2), 30_000_000, "Modal bergulir tahap I disalurkan.", SUBMITTED
        ),
        DemoRealisation(
            "BUM-1",
            D(2026, 3, 2),
            2,
            "Dua peserta bekerja di unit usaha BUMDes.",
            VERIFIED,
            participants=2,
        ),
    ),
    document="Komitmen Bersama Warga Miskin Produktif Kotabaru 2025.pdf",
)

GENERAL = DemoCommitment(
    title="Komitmen Bersama Baznas dan Forum CSR Kabupaten Kotabaru 2026 (contoh)",
    program=None,
    signed_on=D(2026, 1, 22),
    start=D(2026, 1, 1),
    end=D(2026, 12, 31),
    signatories=("Wakil Bupati Kotabaru (Ketua TKPK)",),
    pledges=(
        DemoPledge("BAZ-1", BAZNAS, MONEY, 150_000_000, "Zakat produktif bagi keluarga desil 1–2"),
        DemoPledge("BAZ-2", BAZNAS, GOODS, 200, "Paket pangan bagi lansia miskin", "paket"),
        DemoPledge(
            "FCS-1",
            CSR_FORUM,
            OTHER,
            4,
            "Temu mitra CSR untuk menyelaraskan program dengan desa sasaran",
            "kegiatan",
        ),
        DemoPledge("FCS-2", CSR_FORUM, MONEY, 50_000_000, "Rehab rumah tidak layak huni"),
    ),
    realisations=(
        DemoRealisation(
            "BAZ-1", D(2026, 3, 20), 60_000_000, "Penyaluran zakat produktif tahap I.", VERIFIED
        ),
        DemoRealisation(
            "BAZ-2", D(2026, 3, 16), 200, "Paket pangan menjelang Idulfitri.", VERIFIED
        ),
        DemoRealisation(
            "BAZ-1", D(2026, 7, 15), 40_000_000, "Penyaluran zakat produktif tahap II.", SUBMITTED
        ),
        DemoRealisation("FCS-1", D(2026, 5, 12), 2, "Dua pertemuan forum.", VERIFIED),
    ),
    document="Komitmen Bersama Baznas dan Forum CSR 2026.pdf",
)

DEMO_COMMITMENTS = (KOTABARU, GENERAL)


def partner_get(name: str) -> Partner:
    """The demo partner called `name`, added by the secretariat if it is not there yet."""
    partner = Partner.objects.filter(name=name).first()
    if partner is not None:
        return partner
    demo = next(demo for demo in PARTNERS if demo.name == name)
    partner = Partner(
        name=demo.name,
        kind=demo.kind,
        sector=demo.sector,
        area=Area.objects.filter(code=demo.area).first() if demo.area else None,
        in_csr_forum=demo.in_csr_forum,
    )
    return partner_save(partner=partner, by=User.objects.get(username=SECRETARIAT))


@transaction.atomic
def demo_load() -> None:
    """Add the demo's partners, commitments, realisations and targets; idempotent.

    Runs after the programs: the Kotabaru commitment names KTB-WMP-2025's participants.
    """
    for demo in PARTNERS:
        partner_get(demo.name)
    secretariat = User.objects.get(username=SECRETARIAT)
    for year, partners in TARGETS:
        partner_target_set(year=year, partners=partners, by=secretariat)
    for demo in DEMO_COMMITMENTS:
        if not Commitment.objects.filter(title=demo.title, signed_on=demo.signed_on).exists():
            _commitment_write(demo, secretariat)


def _commitment_write(demo: DemoCommitment, secretariat: User) -> None:
    program = Program.objects.filter(code=demo.program).first() if demo.program else None
    if demo.program and program is None:
        return  # the programs were not loaded: nothing to commit to
    partners = {name: partner_get(name) for name in demo.partners}
    villages = Area.objects.in_bulk([p.village for p in demo.pledges if p.village])
    pledges = {
        p.key: Pledge(
            partner=partners[p.partner],
            kind=p.kind,
            quantity=p.quantity,
            unit=p.unit,
            description=p.description,
            village=villages.get(p.village),
        )
        for p in demo.pledges
    }
    commitment = Commitment(
        title=demo.title,
        program=program,
        signed_on=demo.signed_on,
        start_date=demo.start,
        end_date=demo.end,
        government_signatories="\n".join(demo.signatories),
    )
    document = _document(
        demo.document,
        [
            demo.title,
            f"Ditandatangani {demo.signed_on:%d-%m-%Y}",
            *demo.signatories,
            *demo.partners,
        ],
    )
    commitment_save(
        commitment=commitment,
        partners=partners.values(),
        pledges=pledges.values(),
        document=document,
        by=secretariat,
    )
    operator = User.objects.get(username=OPERATOR)
    named: set[int] = set()
    for entry in demo.realisations:
        pledge = pledges[entry.pledge]
        by = operator if operator.partner_id == pledge.partner_id else secretariat
        _realisation_write(entry, pledge, by=by, reviewer=secretariat, named=named)


def _realisation_write(
    entry: DemoRealisation, pledge: Pledge, *, by: User, reviewer: User, named: set[int]
) -> None:
    realisation = Realisation(
        pledge=pledge, delivered_on=entry.delivered_on, quantity=entry.quantity, note=entry.note
    )
    evidence = []
    if entry.evidence:
        file_name = f"{entry.evidence} {entry.delivered_on:%Y-%m-%d}.pdf"
        evidence.append(_document(file_name, [entry.evidence, pledge.partner.name, entry.note]))
    participants = _participants(pledge, entry.participants, named) if entry.participants else None
    realisation_save(realisation=realisation, by=by, evidence=evidence, participants=participants)
    if entry.outcome != SUBMITTED:
        realisation_review(
            realisation=realisation,
            version=realisation.version,
            verified=entry.outcome == VERIFIED,
            comment=entry.comment,
            by=reviewer,
        )
    _dated_as_told(realisation, entry)


NINE_AM = datetime.time(9)


def _dated_as_told(realisation: Realisation, entry: DemoRealisation) -> None:
    """Entered the day after delivery and reviewed a few days later, as in the story, not
    all at the moment the demo loads (the verification queue orders by entry)."""
    now = timezone.now()
    entered = min(
        now,
        timezone.make_aware(
            datetime.datetime.combine(entry.delivered_on + datetime.timedelta(days=1), NINE_AM)
        ),
    )
    reviewed = (
        min(now, entered + datetime.timedelta(days=3)) if entry.outcome != SUBMITTED else None
    )
    Realisation.objects.filter(pk=realisation.pk).update(entered_at=entered, reviewed_at=reviewed)


def _participants(pledge: Pledge, count: int, named: set[int]) -> list[Enrollment]:
    """`count` participants of the program who took part, those of the pledge's village
    first, each named once in the demo."""
    candidates = Enrollment.objects.filter(
        program=pledge.commitment.program_id,
        status__in=(EnrollmentStatus.ACTIVE, EnrollmentStatus.GRADUATED),
    ).exclude(pk__in=named)
    chosen = sorted(
        candidates, key=lambda e: (e.village_id != pledge.village_id, e.enrolled_on, e.pk)
    )[:count]
    named.update(e.pk for e in chosen)
    return chosen


def _document(name: str, lines: list[str]) -> CheckedDocument:
    """An example PDF stored as a user's upload is: checked by content first."""
    upload = ContentFile(
        example_pdf([*lines, "", "Dokumen contoh untuk demo, bukan asli."]), name=name
    )
    return document_check(upload, DOCUMENTS)


def example_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing `lines` in Helvetica, written by hand."""
    text = " T* ".join(f"({_pdf_text(line)}) Tj" for line in lines)
    stream = f"BT /F1 11 Tf 14 TL 56 780 Td {text} ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def _pdf_text(line: str) -> str:
    line = line.encode("cp1252", errors="replace").decode("cp1252")
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
