"""Synthetic DTSEN register rows: fake people with valid-looking NIKs and No. KK.

Deterministic for a given (villages, people, seed) and streaming, so the demo data, the
tests and the 1,000,000-row benchmark all draw from the same generator. Pure Python, no
Django settings needed.
"""

import csv
import os
import random
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import cache
from itertools import count

DTSEN_COLUMNS: tuple[str, ...] = (
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
    "kode_provinsi",
    "kode_kabupaten_kota",
    "kode_kecamatan",
    "kode_kelurahan_desa",
    "desil_nasional",
    "desil_provinsi",
    "desil_kabupaten_kota",
)

KEPALA, ISTRI, SUAMI, ANAK = "Kepala Keluarga", "Istri", "Suami", "Anak"
MENANTU, CUCU, ORANG_TUA = "Menantu", "Cucu", "Orang Tua/Mertua"
FAMILI_LAIN, LAINNYA = "Famili Lain", "Lainnya"

_VILLAGE_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")

_MALE_FIRST = (
    "MUHAMMAD", "AHMAD", "AKHMAD", "ABDUL", "ANANG", "UTUH", "GUSTI", "JUMBERI", "MASRANI",
    "SYAHRANI", "FAHRIANNOR", "NORHAN", "RAHMADI", "HAMDANI", "SAPRUDIN", "RIDUANSYAH",
    "YUSRAN", "SYARIFUDDIN", "BAHRUDIN", "HASANUDDIN", "IJAI", "ILHAM", "RIZKY", "FAUZAN",
    "HAIRIL", "MUKHLIS", "SUPIAN", "NORDIN", "ASNAWI", "HERMANSYAH", "JAMHARI", "ZAINAL",
    "KHAIRUL", "RUSDI", "SAMSUL", "ARIFIN", "JAILANI", "MAHLIANOR", "ALPIANOR", "HAMIDAN",
)  # fmt: skip
_FEMALE_FIRST = (
    "SITI", "NOOR", "NORHAYATI", "ARBAINAH", "RAHMAH", "AISYAH", "FATIMAH", "HALIMAH",
    "JUBAIDAH", "NURUL", "GALUH", "ALUH", "DIANG", "SALASIAH", "MAHMUDAH", "NORJANAH",
    "RUSMILAWATI", "SARIAH", "HAMIDAH", "NORLIANI", "MARYAM", "KAMALIAH", "SYARIFAH",
    "RABIATUL", "HUSNUL", "MASLIANI", "RAHMAWATI", "JAMILAH", "NORMILA", "SALMAH",
    "HALIDA", "ZAINAB", "MISNAH", "RUSMINI", "SAUDAH", "MURNI", "INAYAH", "NAJWA",
)  # fmt: skip
_MALE_LAST = (
    "NOOR", "ANSHARI", "RAHMAN", "HIDAYAT", "FAUZI", "ARIFIN", "BASRI", "HALIM", "IDRIS",
    "JAMALUDDIN", "SALEH", "MAHMUD", "RAHIM", "KARIM", "RAMADHANI", "FADILLAH", "RIFANI",
    "MAULANA", "SYAHPUTRA", "IRAWAN", "FIRDAUS", "ANWAR", "HAMZAH", "NASRULLAH", "AKBAR",
    "HAKIM", "RIDHA", "SAPUTRA", "ALFIANSYAH", "MUKHTAR",
)  # fmt: skip
_FEMALE_LAST = (
    "NOOR", "HASANAH", "FITRIANI", "LESTARI", "RAHMAWATI", "AMINAH", "ZAHRA", "KHADIJAH",
    "MAULIDA", "RAMADHANI", "FADILLAH", "HAYATI", "NUR'AINI", "SAFITRI", "WAHYUNI",
    "MAWADDAH", "AULIA", "HIDAYAH", "RAHMI", "JANNAH", "ADAWIYAH", "SAKINAH", "MAISARAH",
    "RIFANI", "ANGGRAINI", "PUSPITA", "KHAIRIAH", "MARDIAH", "HUSNA", "SALSABILA",
)  # fmt: skip
_STREETS = (
    "Jl. Pelabuhan", "Jl. Veteran", "Jl. Pangeran Antasari", "Jl. A. Yani", "Jl. Sungai Taib",
    "Jl. Raya Stagen", "Jl. Berangas", "Jl. Tarjun", "Jl. Batu Licin", "Jl. Kelumpang",
    "Jl. Pasar Lama", "Jl. Masjid Raya", "Jl. Kampung Baru", "Jl. Handil Bakti",
    "Jl. Sungai Durian", "Jl. Pramuka", "Jl. Merdeka", "Jl. Transmigrasi", "Jl. Tegal Rejo",
    "Jl. Langadai", "Jl. Tirawan", "Jl. Sebatung", "Gg. Rahmat", "Gg. Nurul Huda",
    "Gg. Al-Ikhlas", "Gg. Sepakat",
)  # fmt: skip
_DUSUN = ("", "Dusun I", "Dusun II", "Dusun III", "Dusun IV", "Dusun V", "", "Dusun I")

# Lookup tables indexed by int(random() * len): one call to random() per draw.
_SIZES = (1,) * 10 + (2,) * 18 + (3,) * 24 + (4,) * 24 + (5,) * 14 + (6,) * 10
_DESIL_WEIGHTS = {1: 16, 2: 15, 3: 14, 4: 13, 5: 12, 6: 8, 7: 7, 8: 6, 9: 5, 10: 4}  # 70 % in 1-5
_DESIL = tuple(d for d, weight in _DESIL_WEIGHTS.items() for _ in range(weight))
_DESIL_OFFSET = (-1, 0, 0, 0, 1)
# Everyone after the head and the spouse: mostly children, sometimes others.
_OTHER_ROLES = (
    (ANAK,) * 80 + (ORANG_TUA,) * 8 + (CUCU,) * 6 + (MENANTU,) * 3 + (FAMILI_LAIN,) * 2 + (LAINNYA,)
)
_ROLE_ORDER = {KEPALA: 0, ISTRI: 1, SUAMI: 1, ANAK: 2, MENANTU: 3, CUCU: 4, ORANG_TUA: 5}
_ROLE_ORDER |= {FAMILI_LAIN: 6, LAINNYA: 7}

# Birth dates run from 1930 to the day before 2025-06-30: 96 years, so the two-digit
# year of the NIK never repeats, and ~35,000 dates x 2 sexes x 9,999 serials per district.
_BIRTH_FIRST = date(1930, 1, 1)
_BIRTH_LAST = date(2025, 6, 29)
_HEAD_FIRST = date(1950, 1, 1)
_HEAD_LAST = date(2000, 12, 31)
_KK_FIRST = date(2005, 1, 1)
_YEAR = 365


@cache
def _tables() -> tuple:
    """Per-day strings for every possible birth date and No. KK issue date."""
    first = _BIRTH_FIRST.toordinal()
    iso, dmy_male, dmy_female = [], [], []
    for ordinal in range(first, _BIRTH_LAST.toordinal() + 1):
        day = date.fromordinal(ordinal)
        yy = day.year % 100
        iso.append(day.isoformat())
        dmy_male.append(f"{day.day:02d}{day.month:02d}{yy:02d}")
        dmy_female.append(f"{day.day + 40:02d}{day.month:02d}{yy:02d}")
    # No. KK issue dates: day 01-28, as birth-date indexes so they compare with them.
    kk_index, kk_dmy = [], []
    for ordinal in range(_KK_FIRST.toordinal(), _BIRTH_LAST.toordinal()):
        day = date.fromordinal(ordinal)
        if day.day <= 28:
            kk_index.append(ordinal - first)
            kk_dmy.append(f"{day.day:02d}{day.month:02d}{day.year % 100:02d}")
    pools = {}
    for sex, firsts, lasts in (("1", _MALE_FIRST, _MALE_LAST), ("2", _FEMALE_FIRST, _FEMALE_LAST)):
        pools[sex] = tuple(f"{f} {last}" for f in firsts for last in lasts if f != last)
    return (
        tuple(iso),
        {"1": tuple(dmy_male), "2": tuple(dmy_female)},
        tuple(kk_index),
        tuple(kk_dmy),
        pools,
        tuple(f"{n:04d}" for n in range(10_000)),
        tuple(f"{n:03d}" for n in range(1000)),
        _HEAD_FIRST.toordinal() - first,
        _HEAD_LAST.toordinal() - first,
        len(iso) - 1,
    )


def _village_parts(code: str) -> tuple[str, str, str, str, str]:
    if not isinstance(code, str) or not _VILLAGE_CODE.fullmatch(code):
        raise ValueError(f"{code!r} is not a village code like 63.02.17.2003")
    return code[:2], code[:5], code[:8], code, code[:8].replace(".", "")


def synthetic_rows(
    *, villages: Sequence[str], people: int, seed: int = 2025, changed_every: int = 0
) -> Iterator[tuple[str, ...]]:
    """Yield `people` rows (tuples of str in DTSEN_COLUMNS order), household by household.

    `changed_every=N` gives the same rows except that person i with i % N == 0 has another
    name and a household whose head has i % N == 0 has its desil shifted by one.
    """
    places = [_village_parts(code) for code in villages]
    if not places:
        raise ValueError("at least one village code is needed")
    if people < 0 or changed_every < 0:
        raise ValueError("people and changed_every cannot be negative")
    return _generate(places, people, seed, changed_every)


def _generate(places: list, people: int, seed: int, every: int) -> Iterator[tuple[str, ...]]:
    iso, dmy, kk_index, kk_dmy, pools, serials, three, head_lo, head_hi, last = _tables()
    # Test data, not secrets: the standard generator, seeded for repeatability.
    rnd = random.Random(seed).random  # noqa: S311
    nik_used: dict[str, int] = {}
    kk_used: dict[str, int] = {}
    desil_text = [str(d) for d in range(11)]
    n_sizes, n_desil, n_roles = len(_SIZES), len(_DESIL), len(_OTHER_ROLES)
    n_streets, n_dusun, n_places = len(_STREETS), len(_DUSUN), len(places)
    n_kk = len(kk_index)

    def nik_for(prefix: str, sex: str, born: int, lo: int, hi: int) -> tuple[str, int]:
        """Next free NIK for this birth day; a full day (9,999 taken) moves to the next."""
        dates = dmy[sex]
        for _ in range(hi - lo + 1):
            key = prefix + dates[born]
            serial = nik_used.get(key, 0) + 1
            if serial < 10_000:
                nik_used[key] = serial
                return key + serials[serial], born
            born = born + 1 if born < hi else lo
        raise RuntimeError(f"no NIK serial left for district {prefix}")

    i = 0
    household = 0
    while i < people:
        prov, kab, kec, desa, prefix = places[household % n_places]
        household += 1
        size = _SIZES[int(rnd() * n_sizes)]
        head_sex = "2" if rnd() < 0.15 else "1"
        head_born = head_lo + int(rnd() * (head_hi - head_lo + 1))
        members = [(0, head_born, head_sex, KEPALA, head_lo, head_hi)]
        younger = head_born
        if size > 1 and rnd() < (0.9 if head_sex == "1" else 0.1):
            gap = int(rnd() * 10 * _YEAR) - 2 * _YEAR
            born = head_born - gap if head_sex == "2" else head_born + gap
            born = min(max(born, head_lo), head_hi)
            if head_sex == "1":
                members.append((1, born, "2", ISTRI, head_lo, head_hi))
            else:
                members.append((1, born, "1", SUAMI, head_lo, head_hi))
            younger = max(younger, born)
        old_head = head_born < head_lo + 25 * _YEAR
        for _ in range(size - len(members)):
            role = _OTHER_ROLES[int(rnd() * n_roles)]
            sex = "1" if rnd() < 0.5 else "2"
            if role == ORANG_TUA:
                lo, hi = max(0, head_born - 40 * _YEAR), head_born - 18 * _YEAR
            elif role == CUCU and old_head:
                lo, hi = younger + 36 * _YEAR, last
            elif role == MENANTU and old_head:
                lo, hi = younger + 17 * _YEAR, min(younger + 40 * _YEAR, last)
            elif role in (FAMILI_LAIN, LAINNYA):
                lo, hi = head_lo, head_hi + 10 * _YEAR
            else:
                role = ANAK
                lo, hi = younger + 18 * _YEAR, min(younger + 45 * _YEAR, last)
            members.append((_ROLE_ORDER[role], lo + int(rnd() * (hi - lo + 1)), sex, role, lo, hi))
        members.sort()

        youngest = max(member[1] for member in members)
        start = bisect_left(kk_index, max(head_born + 17 * _YEAR, youngest))
        start = min(start, n_kk - 1)
        at = start + int(rnd() * (n_kk - start))
        for _ in range(n_kk):
            key = prefix + kk_dmy[at]
            serial = kk_used.get(key, 0) + 1
            if serial < 10_000:
                kk_used[key] = serial
                break
            at = at + 1 if at < n_kk - 1 else 0
        else:
            raise RuntimeError(f"no No. KK serial left for district {prefix}")
        kk = key + serials[serial]

        alamat = f"{_STREETS[int(rnd() * n_streets)]} No. {int(rnd() * 150) + 1}"
        rt, rw = three[int(rnd() * 15) + 1], three[int(rnd() * 6) + 1]
        dusun = _DUSUN[int(rnd() * n_dusun)]
        desil = _DESIL[int(rnd() * n_desil)]
        desil_prov = desil + _DESIL_OFFSET[int(rnd() * 5)]
        desil_kab = desil + _DESIL_OFFSET[int(rnd() * 5)]
        if every and i % every == 0:
            step = 1 if desil < 10 else -1
            desil, desil_prov, desil_kab = desil + step, desil_prov + step, desil_kab + step
        tail = (
            alamat, rt, rw, dusun, prov, kab, kec, desa, desil_text[desil],
            desil_text[min(max(desil_prov, 1), 10)], desil_text[min(max(desil_kab, 1), 10)],
        )  # fmt: skip

        for _order, born, sex, role, lo, hi in members:
            nik, born = nik_for(prefix, sex, born, lo, hi)
            pool = pools[sex]
            pick = int(rnd() * len(pool))
            if every and i % every == 0:
                # Another name from the same pool, never the same one, without touching
                # the random stream so every other value stays as with changed_every=0.
                pick = (pick + 1 + (i // every) % (len(pool) - 1)) % len(pool)
            yield (nik, kk, pool[pick], sex, iso[born], role, *tail)
            i += 1
            if i == people:
                return


def write_csv(
    path: str | os.PathLike, rows: Iterable[tuple[str, ...]], *, delimiter: str = "|"
) -> int:
    """Write the DTSEN header and `rows` as UTF-8 CSV; return the number of data rows."""
    counter = count()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(DTSEN_COLUMNS)
        # zip pulls from `rows` first, so `counter` advances once per row written.
        writer.writerows(row for row, _ in zip(rows, counter, strict=False))
    return next(counter)


def write_xlsx(
    path: str | os.PathLike,
    rows: Iterable[tuple[str, ...]],
    *,
    title_rows: Sequence[str] = (),
    header: Sequence[str] = DTSEN_COLUMNS,
) -> int:
    """Write a streaming workbook, sheet "DTSEN": title rows, header, then `rows`.

    Every cell is a text string, so a NIK never becomes a number. Returns the number of
    data rows.
    """
    from openpyxl import Workbook  # only this function needs openpyxl

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DTSEN")
    for title in title_rows:
        sheet.append([str(title)])
    sheet.append(list(header))
    written = 0
    for row in rows:
        sheet.append([str(value) for value in row])
        written += 1
    workbook.save(path)
    return written
