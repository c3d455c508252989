"""The register as a DTSEN-shaped file: one row per person, DTSEN's column names.

The columns are the ones households/dtsen reads, so an exported file can be loaded again;
the names of the village and district and the desil's period are added for people to
read (a load ignores columns it does not know).
"""

from import_export import fields, resources

from households.models import Person, Relationship, Sex
from tkpk.spreadsheets import neutralise

COLUMNS = (
    "nomor_induk_kependudukan",
    "nomor_kartu_keluarga",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "status_hubungan_keluarga",
    "alamat",
    "rt",
    "rw",
    "dusun",
    "kode_kelurahan_desa",
    "nama_desa",
    "nama_kecamatan",
    "desil_nasional",
    "desil_provinsi",
    "desil_kabupaten_kota",
    "periode_desil",
)

# DTSEN's own labels, whatever the interface language: the file is data, not a page.
RELATIONSHIP_LABELS = {
    Relationship.HEAD: "Kepala Keluarga",
    Relationship.SPOUSE: "Istri/Suami",
    Relationship.CHILD: "Anak",
    Relationship.CHILD_IN_LAW: "Menantu",
    Relationship.GRANDCHILD: "Cucu",
    Relationship.PARENT: "Orang Tua/Mertua",
    Relationship.OTHER_RELATIVE: "Famili Lain",
    Relationship.OTHER: "Lainnya",
}
SEX_CODES = {Sex.MALE: 1, Sex.FEMALE: 2}


class PersonExportResource(resources.ModelResource):
    """People with their household's card number, address, village and latest desil.

    Export a queryset with `select_related("household__village__parent")`, as
    selectors.people_of gives, so that no row costs a query.
    NIK and No. KK leave as text, never numbers, so Excel cannot round them.
    """

    nomor_induk_kependudukan = fields.Field(attribute="nik", column_name="nomor_induk_kependudukan")
    nomor_kartu_keluarga = fields.Field(
        attribute="household__no_kk", column_name="nomor_kartu_keluarga"
    )
    nama = fields.Field(attribute="name", column_name="nama")
    jenis_kelamin = fields.Field(column_name="jenis_kelamin")
    tanggal_lahir = fields.Field(column_name="tanggal_lahir")
    status_hubungan_keluarga = fields.Field(column_name="status_hubungan_keluarga")
    alamat = fields.Field(attribute="household__address", column_name="alamat")
    rt = fields.Field(attribute="household__rt", column_name="rt")
    rw = fields.Field(attribute="household__rw", column_name="rw")
    dusun = fields.Field(attribute="household__dusun", column_name="dusun")
    kode_kelurahan_desa = fields.Field(
        attribute="household__village_id", column_name="kode_kelurahan_desa"
    )
    nama_desa = fields.Field(attribute="household__village__name", column_name="nama_desa")
    nama_kecamatan = fields.Field(
        attribute="household__village__parent__name", column_name="nama_kecamatan"
    )
    desil_nasional = fields.Field(column_name="desil_nasional")
    desil_provinsi = fields.Field(column_name="desil_provinsi")
    desil_kabupaten_kota = fields.Field(column_name="desil_kabupaten_kota")
    periode_desil = fields.Field(attribute="household__desil_period", column_name="periode_desil")

    class Meta:
        model = Person
        fields = COLUMNS
        export_order = COLUMNS

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))

    def dehydrate_jenis_kelamin(self, person: Person) -> int | None:
        return SEX_CODES.get(person.sex)

    def dehydrate_tanggal_lahir(self, person: Person) -> str:
        # Text, not a date cell: the same YYYY-MM-DD in every spreadsheet program.
        return person.birth_date.isoformat() if person.birth_date else ""

    def dehydrate_status_hubungan_keluarga(self, person: Person) -> str:
        return RELATIONSHIP_LABELS.get(person.relationship, "")

    def dehydrate_desil_nasional(self, person: Person) -> int | None:
        return person.household.desil

    def dehydrate_desil_provinsi(self, person: Person) -> int | None:
        return person.household.desil_provinsi

    def dehydrate_desil_kabupaten_kota(self, person: Person) -> int | None:
        return person.household.desil_kabupaten
