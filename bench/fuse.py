"""Fusion throughput and memory: N generated claims (default 1,000,000) → records.

    python bench/fuse.py [--claims N] [--seed S]

The claims are made up but shaped like the store's: a few hundred supplier/recipient pairs, every
§3 category, designations with aliases (Shahed-136 / Geran-2), ten years of dates, one claim in
ten a syndicated copy, one in twelve a denial, some of them blanket denials of "any weapons".
Fusion runs in this one process (one core). Peak memory is the process's maximum resident size
(inputs included), read from getrusage. Targets (issue 4): under 60 s and under 2 GB.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from armstrace.fuse import FuseInput, fuse_claims
from armstrace.vocab import CATEGORIES, CERTAINTY

ACTORS = ("PRK", "RUS", "IRN", "CHN", "USA", "UKR", "KOR", "POL", "DEU", "TWN", "ISR", "SYR",
          "BLR", "TUR", "IND", "PAK", "FRA", "GBR", "JPN", "hezbollah", "houthis", "wagner-group")
ITEMS = ("Shahed-136 drones", "Geran-2 drones", "KN-23 missiles", "KN-24 missiles",
         "artillery shells", "152mm shells", "drones", "missiles", "Leopard 2 tanks", "tanks",
         "HIMARS launchers", "Patriot batteries", "F-16 jets", "rifles", "troops", "T-90M tanks",
         "Su-35 jets", "weapons", "radars", "components")
STAGES = ("offered", "approved", "agreed", "delivered", "delivered", "unspecified")
UNITS = ("shells", "drones", "troops", "tanks", None)


def generate(n: int, seed: int) -> list[FuseInput]:
    rng = random.Random(seed)
    pairs = [(a, b) for a in ACTORS for b in ACTORS if a != b]
    sources = [f"Source {i}" for i in range(3000)]
    outlets = [f"Outlet {i}" for i in range(400)]
    dates = [f"{2015 + d // 365}-{1 + (d % 365) // 31:02d}-{1 + d % 28:02d}" for d in range(3650)]
    out: list[FuseInput] = []
    story = 0
    while len(out) < n:
        story += 1
        sup, rec = rng.choice(pairs[:300])
        day = rng.randrange(len(dates))
        copies = 1 + (rng.random() < 0.1) * rng.randrange(1, 5)
        kind = "transfer" if rng.random() < 0.9 else "development"
        claims_in_story = rng.randrange(1, 4)
        for c in range(copies):
            doc = f"d{story}-{c}"
            outlet = rng.choice(outlets)
            for k in range(claims_in_story):
                negated = rng.random() < 1 / 12
                blanket = negated and rng.random() < 0.3
                category = "weapons_unspecified" if blanket else CATEGORIES[
                    (story * 7 + k) % len(CATEGORIES)]
                outlet_voice = rng.random() < 0.3
                qty = rng.random() < 0.3
                out.append(FuseInput(
                    doc_id=doc, kind=kind, item_category=category,
                    stage=rng.choice(STAGES) if kind == "transfer" else "test",
                    certainty=rng.choice(CERTAINTY),
                    polarity="negated" if negated else "affirmed",
                    source_name=outlet if outlet_voice else rng.choice(sources),
                    source_type="outlet" if outlet_voice else "government",
                    date=dates[min(day + c, len(dates) - 1)], story_id=f"s{story}",
                    outlet=outlet, supplier=sup if kind == "transfer" else None,
                    recipient=rec if kind == "transfer" else None,
                    actor=sup if kind == "development" else None,
                    item_text=rng.choice(ITEMS),
                    quantity_value=float(rng.randrange(1, 10_000)) if qty else None,
                    quantity_unit=rng.choice(UNITS) if qty else None,
                    source_affiliation=rec if negated else None,
                ))
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    t0 = time.perf_counter()
    inputs = generate(args.claims, args.seed)
    t1 = time.perf_counter()
    records = fuse_claims(inputs)
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    fuse_s = t2 - t1
    rows = [
        ("claims", f"{len(inputs):,}"),
        ("records", f"{len(records):,}"),
        ("generate (s)", f"{t1 - t0:.1f}"),
        ("fuse (s)", f"{fuse_s:.1f}"),
        ("claims/s", f"{len(inputs) / fuse_s:,.0f}"),
        ("peak RSS (MB)", f"{peak_mb:,.0f}"),
        ("target < 60 s", "met" if fuse_s < 60 else "MISSED"),
        ("target < 2 GB", "met" if peak_mb < 2048 else "MISSED"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v:>12}")


if __name__ == "__main__":
    main()
