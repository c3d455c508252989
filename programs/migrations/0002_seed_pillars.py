"""The four strategy pillars of DOMAIN.md, in Indonesian as the region names them."""

from django.db import migrations

PILLARS = [
    (1, "Pengurangan beban pengeluaran", "Beban pengeluaran"),
    (2, "Peningkatan pendapatan dan pemberdayaan", "Pendapatan dan pemberdayaan"),
    (3, "Penurunan jumlah kantong kemiskinan", "Kantong kemiskinan"),
    (4, "Peningkatan kemitraan dan kerja sama", "Kemitraan"),
]


def seed(apps, schema_editor):
    Pillar = apps.get_model("programs", "Pillar")
    for order, name, short_name in PILLARS:
        Pillar.objects.get_or_create(name=name, defaults={"short_name": short_name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_programs_and_enrollments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
