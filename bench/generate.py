"""Synthetic England & Wales months in police.uk street-level format, one file a month.

About 6M rows over the 12 months of 2024 at ``--rows 6000000``; ``--months 36 --rows 20000000``
is a national 36-month archive (2022-01 to 2024-12, about 3.2 GB).

Crime types follow a realistic national mix; LSOA codes are real London LSOA 2011 codes with
their borough names (so figures work), plus synthetic E01/W01 codes for the rest of the country.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import shapefile

from csphub.settings import SHARED_DATA_DIR

MIX = {  # approximate national shares of street-level records
    "Violence and sexual offences": 0.33,
    "Anti-social behaviour": 0.16,
    "Criminal damage and arson": 0.08,
    "Shoplifting": 0.06,
    "Other theft": 0.07,
    "Public order": 0.08,
    "Vehicle crime": 0.06,
    "Burglary": 0.04,
    "Drugs": 0.03,
    "Other crime": 0.02,
    "Robbery": 0.01,
    "Theft from the person": 0.01,
    "Bicycle theft": 0.01,
    "Possession of weapons": 0.01,
}
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)


def london_lsoas(data: Path) -> list[tuple[str, str, float, float]]:
    reader = shapefile.Reader(str(data / "geo/london/lsoa2011/LSOA_2011_London_gen_MHW.shp"))
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    out = []
    for rec in reader.iterShapeRecords():
        x0, y0, x1, y1 = rec.shape.bbox
        lon, lat = t.transform((x0 + x1) / 2, (y0 + y1) / 2)
        out.append((rec.record["LSOA11CD"], rec.record["LSOA11NM"], lon, lat))
    return out


def generate(out_dir: Path, rows: int, data: Path, seed: int = 1, months: int = 12) -> list[Path]:
    """MONTHS monthly files ending 2024-12, ROWS rows in all (the same files for a seed)."""
    rng = np.random.default_rng(seed)
    lsoas = london_lsoas(data)
    n_other = 30_000  # the rest of England and Wales
    codes = [c for c, _, _, _ in lsoas] + [f"E0{1_100_000 + i}" for i in range(n_other)]
    names = [n for _, n, _, _ in lsoas] + [
        f"Synthetic {i // 100:03d}{chr(65 + i % 5)}" for i in range(n_other)
    ]
    lon = np.array([x for _, _, x, _ in lsoas] + list(rng.uniform(-4.5, 1.5, n_other)))
    lat = np.array([y for _, _, _, y in lsoas] + list(rng.uniform(50.5, 54.5, n_other)))
    types = list(MIX)
    probs = np.array(list(MIX.values()))
    probs /= probs.sum()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    per_month = rows // months
    weights = rng.gamma(1.2, 1.0, len(codes))
    weights /= weights.sum()
    for k in range(2025 * 12 - months, 2025 * 12):
        ym = f"{k // 12}-{k % 12 + 1:02d}"
        which = rng.choice(len(codes), per_month, p=weights)
        kind = rng.choice(len(types), per_month, p=probs)
        jitter = rng.normal(0, 0.002, (per_month, 2))
        ids = rng.integers(0, 2**63, per_month)
        path = out_dir / f"{ym}-synthetic-street.csv"
        with path.open("w", encoding="utf-8") as fh:
            fh.write(HEADER)
            lines = []
            for i in range(per_month):
                j = which[i]
                ctype = types[kind[i]]
                cid = "" if ctype == "Anti-social behaviour" else f"{ids[i]:016x}"
                force = "Metropolitan Police Service" if j < len(lsoas) else "Synthetic Police"
                lines.append(
                    f"{cid},{ym},{force},{force},{lon[j] + jitter[i, 0]:.6f},"
                    f"{lat[j] + jitter[i, 1]:.6f},On or near Street,{codes[j]},{names[j]},"
                    f"{ctype},Under investigation,\n"
                )
            fh.writelines(lines)
        paths.append(path)
    return paths


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=6_000_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out/street"))
    parser.add_argument("--data", type=Path, default=SHARED_DATA_DIR)
    parser.add_argument("--months", type=int, default=12, help="monthly files, ending 2024-12")
    args = parser.parse_args()
    generate(args.out, args.rows, args.data, months=args.months)
