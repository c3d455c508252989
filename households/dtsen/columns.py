"""Which file column is which field: DTSEN's snake_case names and the usual hand-made ones."""

import re

# field -> names accepted for it, compared after `normalise_header`.
ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nomor_induk_kependudukan", "NIK", "No NIK", "Nomor NIK"),
    "no_kk": ("nomor_kartu_keluarga", "No KK", "NOKK", "Nomor KK", "No Kartu Keluarga"),
    "nama": ("nama", "Nama Lengkap"),
    "village": (
        "kode_kelurahan_desa",
        "Kode Desa",
        "KD_DESA",
        "Kode Wilayah",
        "Kode Kelurahan",
        "Kode Desa/Kelurahan",
    ),
    "jenis_kelamin": ("jenis_kelamin", "JK", "L/P"),
    "tanggal_lahir": ("tanggal_lahir", "Tgl Lahir"),
    "hubungan": (
        "status_hubungan_keluarga",
        "SHDK",
        "Hubungan Keluarga",
        "Hubungan",
        "Status Hubungan",
    ),
    "alamat": ("alamat",),
    "rt": ("rt",),
    "rw": ("rw",),
    "dusun": ("dusun",),
    "desil": ("desil_nasional", "Desil"),
    "desil_provinsi": ("desil_provinsi",),
    "desil_kabupaten_kota": ("desil_kabupaten_kota", "Desil Kabupaten", "Desil Kota"),
}
# The columns a file must have, named as a person knows them.
REQUIRED = {"nik": "NIK", "no_kk": "No. KK", "nama": "Nama", "village": "Kode Desa"}
_NOT_ALNUM = re.compile(r"[\W_]+")


def normalise_header(text: object) -> str:
    """`No. KK`, `no_kk` and ` NO KK ` are all `nokk`."""
    return _NOT_ALNUM.sub("", str(text)).casefold()


_FIELD_BY_NAME = {
    normalise_header(name): field for field, names in ALIASES.items() for name in names
}


def match_header(cells: list) -> tuple[dict[str, int], list[str]]:
    """(field -> column index, headers ignored) for a candidate header row.

    A field named twice keeps its first column; the second is listed as ignored.
    """
    fields: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        field = _FIELD_BY_NAME.get(normalise_header(text))
        if field is None or field in fields:
            ignored.append(text)
        else:
            fields[field] = index
    return fields, ignored
