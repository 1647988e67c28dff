"""A large flat table like a national funding agency's export, for report-size tests.

2,000 projects × 1–3 partners (about 3,200 rows), 700 organisations, ``;``-separated, Norwegian-style
dates (``01.06.2020 00:00``), status SIGNED/CLOSED. Deterministic (seeded). Imported with
``samverkan import`` and the small mapping :data:`MAPPING`.
"""

from __future__ import annotations

import random
from pathlib import Path

MAPPING = """\
[source]
description = "Stort prov: 2 000 projekt ur en nationell myndighets export"

[project]
id = "prosjektnummer"
name = "prosjektnavn"
start = "startdato"
end = "sluttdato"
status = "status"

[organisation]
name = "organisasjon"
type = "organisasjonstype"

[participation]
role = "rolle"

[roles]
LEAD = "owner"
PARTNER = "partner"

[status_values]
SIGNED = "active"
CLOSED = "ended"
"""

TYPES = ["Kommune", "Fylkeskommune", "Universitet", "Bedrift", "Forening"]
TYPE_MAP = """
[types]
Kommune = "municipality"
Fylkeskommune = "region"
Universitet = "academia"
Bedrift = "business"
Forening = "ngo"
"""


def write_large_table(folder: Path, *, projects: int = 2000, organisations: int = 700, seed: int = 7) -> tuple[Path, Path]:
    """Write ``table.csv`` and ``mapping.toml`` into ``folder``; return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    orgs = [(f"Organisasjon {k:03d} AS", TYPES[k % len(TYPES)]) for k in range(organisations)]
    lines = ["prosjektnummer;prosjektnavn;startdato;sluttdato;status;organisasjon;organisasjonstype;rolle"]
    for p in range(projects):
        year = 2015 + p % 9
        start = f"01.{1 + p % 12:02d}.{year} 00:00"
        end = f"28.{1 + p % 12:02d}.{year + 2 + p % 3} 00:00"
        status = "CLOSED" if year + 2 + p % 3 < 2024 else "SIGNED"
        n = rng.choices((1, 2, 3), weights=(55, 30, 15))[0]
        members = rng.sample(range(organisations), n)
        for k, o in enumerate(members):
            name, kind = orgs[o]
            role = "LEAD" if k == 0 and p % 5 else "PARTNER"
            lines.append(f"P{p:05d};Prosjekt {p:05d};{start};{end};{status};{name};{kind};{role}")
    table = folder / "table.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = folder / "mapping.toml"
    mapping.write_text(MAPPING + TYPE_MAP, encoding="utf-8")
    return table, mapping


if __name__ == "__main__":  # python tests/report/large_table.py FOLDER
    import sys

    print(write_large_table(Path(sys.argv[1])))
