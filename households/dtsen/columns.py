"""Which file column is which field: DTSEN's snake_case names and the usual hand-made ones.

`Columns` is what one kind of file holds; the reader (households/dtsen/reading.py) reads
any kind, DTSEN's is the default. A list of NIKs for a program is another kind
(programs/enrollment_files.py).
"""

import re
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Columns:
    """The columns of one kind of file: the names accepted for each field, and those it needs.

    `required` maps a field to its name as a person knows it, for messages.
    """

    aliases: dict[str, tuple[str, ...]]
    required: dict[str, str]
    _field_by_name: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {
            normalise_header(name): key for key, names in self.aliases.items() for name in names
        }
        object.__setattr__(self, "_field_by_name", by_name)

    def match_header(self, cells: list) -> tuple[dict[str, int], list[str]]:
        """(field -> column index, headers ignored) for a candidate header row.

        A field named twice keeps its first column; the second is listed as ignored.
        """
        fields: dict[str, int] = {}
        ignored: list[str] = []
        for index, cell in enumerate(cells):
            text = str(cell).strip() if cell is not None else ""
            if not text:
                continue
            key = self._field_by_name.get(normalise_header(text))
            if key is None or key in fields:
                ignored.append(text)
            else:
                fields[key] = index
        return fields, ignored


DTSEN = Columns(ALIASES, REQUIRED)


def match_header(cells: list) -> tuple[dict[str, int], list[str]]:
    """`DTSEN.match_header`."""
    return DTSEN.match_header(cells)
