"""The demo data `manage.py seed_demo` loads; later issues add theirs here."""

from pathlib import Path

from django.db import transaction

from households.services import areas_import, read_region_file
from tkpk.models import Agency, Role, User

DEMO_AREAS = Path(__file__).resolve().parent.parent / "households" / "demo" / "wilayah_demo.csv"
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

# username, full name, role, agency acronym
DEMO_USERS = [
    ("admin", "Administrator Sistem", Role.ADMIN, None),
    ("sekretariat", "Sekretariat TKPK", Role.SECRETARIAT, None),
    ("opd.dinsos", "Operator Dinsos P3AP2KB", Role.AGENCY, "Dinsos P3AP2KB"),
    ("opd.disnakertrans", "Operator Disnakertrans", Role.AGENCY, "Disnakertrans"),
    ("pimpinan", "Wakil Bupati (Ketua TKPK)", Role.LEADER, None),
    ("mitra", "Petugas CSR Mitra", Role.PARTNER, None),
]


@transaction.atomic
def demo_load() -> list[User]:
    """Load (or refresh) the demo region, agencies and one user per role; idempotent."""
    areas_import(areas=read_region_file(DEMO_AREAS))
    agencies = {}
    for acronym, name in DEMO_AGENCIES:
        agencies[acronym], _created = Agency.objects.update_or_create(
            acronym=acronym, defaults={"name": name, "is_active": True}
        )
    users = []
    for username, name, role, acronym in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "name": name,
                "role": role,
                "agency": agencies[acronym] if acronym else None,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        users.append(user)
    return users
