"""Write the sample files a newcomer imports in the demo (docs/demo/): a small "Address list of
schools" in the published layout (XLSX and ODS), the Welsh names it lacks, and Gwynedd's
clusters. All the schools are fictional. Run: .venv/bin/python scripts/make_demo_import_files.py"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.spreadsheets import ods, published, xlsx  # noqa: E402

OUT = ROOT / "docs" / "demo"

# School Number, LA Code, Local Authority, School Name, Address 1, Postcode, Sector,
# Welsh Medium Type. The demo's three Gwynedd schools (one renamed) and five new ones; two rows
# of another authority, which a Gwynedd administrator's import leaves alone.
ROWS = (
    (
        6612904,
        661,
        "Gwynedd",
        "Ysgol Gynradd Penrhos",
        "Ffordd Penrhos",
        "LL53 7AA",
        "Primary",
        "Welsh Medium",
    ),
    (
        6612905,
        661,
        "Gwynedd",
        "Ysgol Gynradd y Gader",
        "Stryd y Bont",
        "LL40 1AB",
        "Primary",
        "Welsh Medium",
    ),
    (
        6614906,
        661,
        "Gwynedd",
        "Ysgol Bro Eryri",
        "Ffordd yr Wyddfa",
        "LL55 4AC",
        "Secondary",
        "Bilingual (Type A)",
    ),
    (
        6612911,
        661,
        "Gwynedd",
        "Ysgol Gynradd Llanfair",
        "Lôn Llanfair",
        "LL46 2AD",
        "Primary",
        "Welsh Medium",
    ),
    (
        6612912,
        661,
        "Gwynedd",
        "Ysgol Gynradd Aber Dwyryd",
        "Heol y Cei",
        "LL48 6AE",
        "Primary",
        "Welsh Medium",
    ),
    (
        6612913,
        661,
        "Gwynedd",
        "Ysgol Gynradd Pen y Bryn",
        "Allt y Bryn",
        "LL57 3AF",
        "Primary",
        "Welsh Medium",
    ),
    (
        6612914,
        661,
        "Gwynedd",
        "St Seiriol's Church in Wales Primary School",
        "Church Street",
        "LL58 8AG",
        "Primary",
        "Dual Stream",
    ),
    (
        6614915,
        661,
        "Gwynedd",
        "Ysgol Uwchradd Dyffryn Ogwen",
        "Ffordd Ogwen",
        "LL57 4AH",
        "Secondary",
        "Welsh Medium",
    ),
    (
        6622916,
        662,
        "Conwy",
        "Glan Conwy Community Primary School",
        "Station Road",
        "LL28 5AJ",
        "Primary",
        "English Medium",
    ),
    (
        6622917,
        662,
        "Conwy",
        "Ysgol Gynradd Bryn Coed",
        "Ffordd y Coed",
        "LL22 7AK",
        "Primary",
        "Welsh Medium",
    ),
)
# The list has no Welsh names: these come from a second file (St Seiriol's has none, and is
# shown in English, marked lang="en", on Welsh pages).
WELSH = (
    ("6612904", "Ysgol Gynradd Penrhos"),
    ("6612905", "Ysgol Gynradd y Gader"),
    ("6614906", "Ysgol Bro Eryri"),
    ("6612911", "Ysgol Gynradd Llanfair"),
    ("6612912", "Ysgol Gynradd Aber Dwyryd"),
    ("6612913", "Ysgol Gynradd Pen y Bryn"),
    ("6614915", "Ysgol Uwchradd Dyffryn Ogwen"),
)
CLUSTERS = (
    ("6612911", "Meirionnydd cluster", "Clwstwr Meirionnydd"),
    ("6612912", "Meirionnydd cluster", "Clwstwr Meirionnydd"),
    ("6612905", "Meirionnydd cluster", "Clwstwr Meirionnydd"),
    ("6612913", "Arfon cluster", "Clwstwr Arfon"),
    ("6612914", "Arfon cluster", "Clwstwr Arfon"),
    ("6614915", "Arfon cluster", "Clwstwr Arfon"),
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sheets = published(ROWS)
    (OUT / "address-list-of-schools-gwynedd.xlsx").write_bytes(xlsx(sheets))
    (OUT / "address-list-of-schools-gwynedd.ods").write_bytes(ods(sheets))
    with (OUT / "welsh-names-gwynedd.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("School Number", "Welsh Name"))
        writer.writerows(WELSH)
    with (OUT / "clusters-gwynedd.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("School Number", "Cluster Name (English)", "Cluster Name (Welsh)"))
        writer.writerows(CLUSTERS)


if __name__ == "__main__":
    main()
