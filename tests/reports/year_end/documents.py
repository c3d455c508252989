"""Hand-made year-end Documents for the renderers' tests and the bench: no database needed.

`small_document()` is a short document whose every figure is known; `large_document()` has
the bench's size (30 agencies × 25 activities = 750 activity rows, 100 programs, ~200
villages in the appendices). Map charts name their areas by code; a map needs the database
only to look up boundaries (none stored: the map says so).
"""

import dataclasses
from decimal import Decimal

from reports.charts import Chart, ChartKind
from reports.tables import Column, Kind, Row, Table
from reports.year_end.content import (
    Chapter,
    ChartBlock,
    Document,
    Narrative,
    Section,
    TableBlock,
)

REGION = "Kabupaten Kotabaru"
TITLE = "Laporan Pelaksanaan Penanggulangan Kemiskinan Daerah"
CHAPTER_TITLES = (
    "Pendahuluan",
    "Kondisi dan Tren Kemiskinan",
    "Strategi dan Program per Pilar",
    "Pelaksanaan per Perangkat Daerah",
    "Kontribusi Mitra",
    "Koordinasi, Permasalahan dan Rekomendasi",
)
MISSING = "Bagian ini belum ditulis oleh sekretariat."


def trend_table(region: str = "Kotabaru") -> Table:
    """P0 over five years; 2025 is Kotawaringin Timur's 5,83 % from the seeds."""
    values = [("2021", "5.12", "4.83"), ("2022", "5.20", "4.61"), ("2023", "5.31", "4.29")]
    values += [("2024", "5.66", "4.11"), ("2025", "5.83", "4.02")]
    return Table(
        slug="poverty-trend",
        title="Persentase penduduk miskin 2021–2025",
        columns=(
            Column("Tahun", Kind.TEXT),
            Column(region, Kind.PERCENT, 2),
            Column("Kalimantan Selatan", Kind.PERCENT, 2),
        ),
        rows=tuple(Row((y, Decimal(a), Decimal(b))) for y, a, b in values),
        note="BPS, Maret tiap tahun",
    )


def poor_table() -> Table:
    return Table(
        slug="poor-people",
        title="Jumlah penduduk miskin",
        columns=(Column("Tahun", Kind.TEXT), Column("Penduduk miskin")),
        rows=(
            Row(("2024", 17_340)),
            Row(("2025", 18_350), highlight=True),
            Row(("Kenaikan", 1_010)),
        ),
        note="BPS, Maret 2025",
    )


def activity_table(agency: int, activities: int) -> Table:
    columns = (
        Column("Kegiatan", Kind.TEXT),
        Column("Pilar", Kind.TEXT),
        Column("Target"),
        Column("Realisasi"),
        Column("Capaian", Kind.PERCENT, 1),
        Column("Anggaran", Kind.RUPIAH),
        Column("Terserap", Kind.RUPIAH),
        Column("Penerima"),
        Column("Status", Kind.TEXT),
    )
    rows = tuple(
        Row(
            (
                f"Kegiatan {agency:02d}.{n:02d} pemberdayaan ekonomi keluarga miskin",
                f"Pilar {n % 4 + 1}",
                100 + n,
                80 + n,
                Decimal(80 + n) / Decimal(100 + n) * 100,
                250_000_000 + n * 1_000_000,
                200_000_000 + n * 900_000,
                40 + n,
                "Tercapai" if n % 3 else "Belum tercapai",
            ),
            highlight=n % 7 == 0,
        )
        for n in range(1, activities + 1)
    )
    return Table(
        slug=f"activities-{agency}",
        title=f"Kegiatan Dinas {agency:02d}",
        columns=columns,
        rows=rows,
        note="Realisasi dari laporan triwulan yang diverifikasi sekretariat.",
    )


def agencies_table(agencies: int) -> Table:
    return Table(
        slug="agencies",
        title="Capaian per perangkat daerah",
        columns=(Column("Perangkat daerah", Kind.TEXT), Column("Capaian", Kind.PERCENT, 1)),
        rows=tuple(Row((f"Dinas {n:02d}", Decimal(55 + n))) for n in range(1, agencies + 1)),
    )


def programs_table(pillar: int, programs: int) -> Table:
    return Table(
        slug=f"programs-{pillar}",
        title=f"Program pilar {pillar}",
        columns=(
            Column("Program", Kind.TEXT),
            Column("APBD", Kind.RUPIAH),
            Column("APBN", Kind.RUPIAH),
            Column("Kuota"),
            Column("Terjangkau"),
            Column("Tereksklusi"),
            Column("Graduasi", Kind.PERCENT, 2),
        ),
        rows=tuple(
            Row(
                (
                    f"Program {pillar}.{n:02d}",
                    1_000_000_000 + n * 10_000_000,
                    500_000_000,
                    200 + n,
                    150 + n,
                    n,
                    Decimal(n) / 3,
                )
            )
            for n in range(1, programs + 1)
        ),
        note="Kuota dan penerima dari register DTSEN.",
    )


def villages_table(villages: int, slug: str, title: str) -> Table:
    return Table(
        slug=slug,
        title=title,
        columns=(
            Column("Desa/kelurahan", Kind.TEXT),
            Column("Kecamatan", Kind.TEXT),
            Column("Rumah tangga"),
            Column("Desil 1"),
            Column("Desil 2–4"),
            Column("Persentase desil 1", Kind.PERCENT, 2),
        ),
        rows=tuple(
            Row(
                (f"Desa {n:03d}", f"Kecamatan {n % 22:02d}", 300 + n, n % 40, n % 90, n / 7),
                key=village_code(n),
            )
            for n in range(1, villages + 1)
        ),
        note="Register DTSEN, periode terakhir tahun ini.",
    )


def village_code(n: int) -> str:
    return f"63.02.{n % 22 + 1:02d}.{2000 + n:04d}"


def _chapter_one(introduction: str) -> Chapter:
    return Chapter(
        CHAPTER_TITLES[0],
        sections=(
            Section("Dasar hukum", (Narrative(introduction, MISSING),)),
            Section("Keanggotaan TKPK", (Narrative("", MISSING),)),
        ),
    )


def _chapter_two(map_chart: Chart | None) -> Chapter:
    trend = trend_table()
    blocks = [
        ChartBlock(Chart(trend, ChartKind.LINE, series=(1, 2), highlight=1)),
        TableBlock(poor_table()),
    ]
    if map_chart is not None:
        blocks.append(ChartBlock(map_chart))
    return Chapter(
        CHAPTER_TITLES[1], sections=(Section("Persentase penduduk miskin", tuple(blocks)),)
    )


def document(
    *,
    status: str = "draft",
    introduction: str = "Peraturan Presiden Nomor 15 Tahun 2010.\n\n**Permendagri** 53/2020.",
    agencies: int = 2,
    activities: int = 3,
    programs: int = 3,
    villages: int = 5,
    recommendations: str = "- Sinkronkan data NIK.\n- Anggaran terpadu.",
    with_map: bool = False,
) -> Document:
    """A document of the given size; the defaults make a short one."""
    agency_chart = Chart(agencies_table(agencies), ChartKind.HBAR)
    chapters = (
        _chapter_one(introduction),
        _chapter_two(_village_map(villages) if with_map else None),
        Chapter(
            CHAPTER_TITLES[2],
            sections=tuple(
                Section(
                    f"Pilar {p}",
                    (
                        ChartBlock(
                            Chart(programs_table(p, programs), ChartKind.GROUPED_BAR, series=(3, 4))
                        ),
                    ),
                )
                for p in range(1, 5)
            ),
        ),
        Chapter(
            CHAPTER_TITLES[3],
            lead=(ChartBlock(agency_chart),),
            sections=tuple(
                Section(f"Dinas {a:02d}", (TableBlock(activity_table(a, activities)),))
                for a in range(1, agencies + 1)
            ),
        ),
        Chapter(CHAPTER_TITLES[4], sections=()),
        Chapter(
            CHAPTER_TITLES[5],
            sections=(
                Section("Koordinasi", (Narrative("Rakor dua kali.", MISSING),)),
                Section("Rekomendasi", (Narrative(recommendations, MISSING),)),
            ),
        ),
    )
    appendices = (
        Chapter(
            "Register per desa",
            sections=(
                Section(
                    "", (TableBlock(villages_table(villages, "villages", "Register per desa")),)
                ),
            ),
        ),
        Chapter(
            "Program per desa",
            sections=(
                Section(
                    "",
                    (TableBlock(villages_table(villages, "village-programs", "Program per desa")),),
                ),
            ),
        ),
    )
    return Document(
        year=2025,
        title=TITLE,
        region=REGION,
        province="Kalimantan Selatan",
        status=status,
        generated_at="2026-01-05T09:30:00+08:00",
        figures_as_of="2026-01-04T22:15:00+08:00",
        foreword=Narrative("Puji syukur kami panjatkan.\n\nSemoga **bermanfaat**.", MISSING),
        chapters=chapters,
        appendices=appendices,
        finalised_at="2026-01-10T10:00:00+08:00" if status == "final" else "",
        signatory_name="H. Syairi Mukhlis",
        signatory_title="Ketua TKPK",
    )


def _village_map(villages: int) -> Chart:
    table = villages_table(villages, "village-map", "Desil 1 per desa")
    return Chart(table, ChartKind.MAP, series=(5,))


def large_document(**changes) -> Document:
    """The bench's size: 30 agencies × 25 activities, 100 programs, 200 villages, a map."""
    sizes = {"agencies": 30, "activities": 25, "programs": 25, "villages": 200, "with_map": True}
    return document(**(sizes | changes))


def with_status(doc: Document, status: str) -> Document:
    return dataclasses.replace(doc, status=status)
