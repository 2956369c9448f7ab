"""The review web UI under load: a store of N generated claims (default 1,000,000), fused into
records, served by `armstrace serve` on loopback, and C concurrent clients (default 200).

    python bench/serve.py [--db URL] [--claims N] [--clients C] [--duration S] [--think T]

The store is built once per URL and reused while it holds N claims (`--rebuild` forces a new
one): documents and claims are generated and written with bulk inserts, not through the
extractor, then fused with `armstrace.fuse.refresh_all` as `armstrace fuse` would, then
ANALYZEd. The spread is meant to look like real reporting: about 60 actors with a few heavy
suppliers and recipients (Zipf weights), every SPEC §3 category with a skew towards drones,
missiles and ammunition, twelve years of dates with more reporting in later years, 2.5 claims
per document, one document in ten a syndicated copy, one claim in twelve a denial.

Then `armstrace serve` runs as its own process (one uvicorn worker, as a user would start it)
and C asyncio clients (httpx), each signed in with one of a few sessions, loop for S seconds
over three page kinds: the records list unfiltered (following "next" for a few pages now and
then), the records list under filters drawn from realistic combinations, and record pages of
random records. Each client waits an exponentially distributed think time of mean T seconds
between requests (an analyst reads a page before the next click; `--think 0` is a closed loop
that measures capacity instead). A warm-up of `--warmup` seconds is not counted. Latency is
measured by the client, from sending the request to reading the whole body.

Prints requests, errors, req/s and p50/p95/p99 per page kind. Targets (issue 5): no errors, p95
under 200 ms for the records list (filtered and not) and for the record page. Exit status 0 when
met, 1 when not.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import func, insert, select, text

from armstrace.fuse import refresh_all
from armstrace.store import open_store
from armstrace.store.tables import ClaimRow, DocumentRow, RecordRow
from armstrace.vocab import CATEGORIES, CERTAINTY
from armstrace.web.passwords import hash_password

STATES = ("PRK", "RUS", "IRN", "CHN", "USA", "UKR", "BLR", "SYR", "TUR", "ISR", "DEU", "FRA",
          "GBR", "POL", "KOR", "JPN", "TWN", "IND", "PAK", "SAU", "ARE", "EGY", "QAT", "IRQ",
          "AZE", "ARM", "SRB", "HUN", "ITA", "ESP", "NLD", "NOR", "SWE", "FIN", "CAN", "AUS",
          "BRA", "ZAF", "ETH", "SDN", "LBY", "MMR", "VEN", "CUB", "KAZ", "GEO", "MDA", "ROU",
          "GRC", "CZE", "SVK", "BGR", "JOR", "LBN", "YEM")
GROUPS = ("hezbollah", "houthis", "wagner-group", "hamas", "rsf")
ACTORS = STATES + GROUPS
#: item texts by category: several aliases of one system fuse, distinct systems stay apart
ITEMS: dict[str, tuple[str, ...]] = {
    "uav": ("drones", "Orlan-10 drones", "Bayraktar TB2 drones", "Mohajer-6 drones"),
    "loitering_munitions": ("Shahed-136 drones", "Geran-2 drones", "loitering munitions",
                            "Lancet drones"),
    "ballistic_missiles": ("KN-23 missiles", "KN-24 missiles", "ballistic missiles",
                           "Fath-360 missiles"),
    "ammunition": ("artillery shells", "152mm shells", "ammunition", "122mm rockets"),
    "air_defence": ("Patriot batteries", "S-400 systems", "air defence systems"),
    "armoured_vehicles": ("Leopard 2 tanks", "T-90M tanks", "tanks", "armoured vehicles"),
    "aircraft": ("F-16 jets", "Su-35 jets", "fighter jets"),
}
CATEGORY_WEIGHTS = {c: 1.0 for c in CATEGORIES}
CATEGORY_WEIGHTS.update(uav=6, loitering_munitions=6, ballistic_missiles=5, ammunition=8,
                        air_defence=4, armoured_vehicles=4, aircraft=3, cruise_missiles=3,
                        artillery=3, small_arms=2, weapons_unspecified=2)
STAGES = ("offered", "approved", "agreed", "delivered", "delivered", "delivered", "unspecified")
DEV_STAGES = ("research", "development", "test", "test", "production", "deployment")
SOURCE_TYPES = ("government", "intelligence", "analyst", "media", "outlet", "anonymous",
                "state_media")
PASSWORD = "bench-password-123"
KINDS = ("records", "records_filtered", "record")


def _zipf(n: int, s: float = 1.1) -> list[float]:
    return [1 / (i + 1) ** s for i in range(n)]


def _dates(rng: random.Random, n: int) -> list[str]:
    """n dates 2014-2026, reporting growing over the years."""
    out = []
    for _ in range(n):
        year = 2014 + min(int(12 * rng.random() ** 0.6), 12)
        month = rng.randrange(1, 13) if year < 2026 else rng.randrange(1, 12)
        out.append(f"{year}-{month:02d}-{rng.randrange(1, 29):02d}")
    return out


def generate(store: Any, n_claims: int, seed: int) -> tuple[int, int]:
    """Write documents and claims until `n_claims` claims exist; returns (documents, claims)."""
    rng = random.Random(seed)
    sup_w, rec_w = _zipf(len(ACTORS)), _zipf(len(ACTORS), 0.9)
    recipients = ACTORS[1:] + ACTORS[:1]  # a different heavy head for recipients
    cats, cat_w = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    outlets = [f"Outlet {i}" for i in range(300)]
    sources = [f"Source {i}" for i in range(3000)]
    docs_t = DocumentRow.__table__
    claims_t = ClaimRow.__table__
    now = datetime.now(UTC)
    n_docs = n = 0
    story = 0
    doc_rows: list[dict[str, Any]] = []
    claim_rows: list[dict[str, Any]] = []

    def flush(conn: Any) -> None:
        if doc_rows:
            conn.execute(insert(docs_t), doc_rows)
        if claim_rows:
            conn.execute(insert(claims_t), claim_rows)
        doc_rows.clear()
        claim_rows.clear()

    with store.engine.begin() as conn:
        while n < n_claims:
            story += 1
            sup = rng.choices(ACTORS, sup_w)[0]
            rec = rng.choices(recipients, rec_w)[0]
            if rec == sup:
                rec = rng.choice(ACTORS)
                if rec == sup:
                    continue
            topic = rng.choices(cats, cat_w, k=2)
            date = _dates(rng, 1)[0]
            copies = 1 + (rng.random() < 0.1) * rng.randrange(1, 4)
            kind = rng.choices(("transfer", "development", "agreement"), (85, 12, 3))[0]
            for c in range(copies):
                n_docs += 1
                doc_pk = n_docs
                outlet = rng.choice(outlets)
                body = (f"{sup} and {rec}: reports of {topic[0].replace('_', ' ')} and "
                        f"{topic[1].replace('_', ' ')}, story {story}, copy {c}. "
                        + " ".join(rng.choice(("officials", "said", "shipment", "denied",
                                               "analysts", "satellite", "imagery", "deal"))
                                   for _ in range(30)))
                doc_rows.append({
                    "id": doc_pk, "doc_id": f"d{story}-{c}",
                    "url": f"https://news.example/{story}/{c}", "source_path": None,
                    "title": f"{sup} {rec} {topic[0]} ({story})", "outlet": outlet,
                    "date": date, "language": "en", "author": None, "text": body,
                    "content_hash": hashlib.sha256(body.encode()).hexdigest(),
                    "norm_hash": None, "story_id": f"s{story}",
                    "copy_of": f"d{story}-0" if c else None, "via": [], "minhash": None,
                    "version": 1, "superseded": False, "ingest_run_id": None,
                    "created_at": now,
                })
                for k in range(rng.choice((1, 2, 2, 3, 3, 4))):
                    if n >= n_claims:
                        break
                    cat = topic[k % 2]
                    negated = rng.random() < 1 / 12
                    qty = rng.random() < 0.3
                    claim_rows.append({
                        "document_id": doc_pk, "ordinal": k, "kind": kind,
                        "supplier": sup if kind == "transfer" else None,
                        "recipient": rec if kind == "transfer" else None,
                        "actor": sup if kind == "development" else None,
                        "parties": sorted((sup, rec)) if kind == "agreement" else None,
                        "supplier_entity": None, "recipient_entity": None,
                        "actor_entity": None,
                        "item_text": rng.choice(ITEMS.get(cat, (cat.replace("_", " "),))),
                        "item_category": cat,
                        "quantity_value": float(rng.randrange(1, 5000)) if qty else None,
                        "quantity_qualifier": "approx" if qty else None,
                        "quantity_unit": None,
                        "stage": (rng.choice(STAGES) if kind == "transfer" else
                                  rng.choice(DEV_STAGES) if kind == "development" else "signed"),
                        "certainty": rng.choices(CERTAINTY, (5, 3, 2))[0],
                        "polarity": "negated" if negated else "affirmed", "timing": "past",
                        "source_name": rng.choice(sources), "source_type": rng.choice(
                            SOURCE_TYPES), "source_affiliation": rec if negated else None,
                        "source_cue": None, "source_via": [], "evidence": [[0, 20]],
                        "trigger_start": 0, "trigger_end": 5, "confidence": 0.8,
                        "rules": ["bench"], "lexicon_ids": [], "pipeline_version": "bench",
                        "lexicon_version": "bench",
                    })
                    n += 1
            if len(claim_rows) >= 20_000:
                flush(conn)
        flush(conn)
    return n_docs, n


def build(url: str, n_claims: int, seed: int, rebuild: bool) -> dict[str, float]:
    """Make sure the store at `url` holds `n_claims` fused claims and a user; time each step."""
    times: dict[str, float] = {}
    with open_store(url) as store:
        have = store.counts()["claims"]
        if have == n_claims and not rebuild and store.count_records():
            print(f"reusing {store.url}: {have:,} claims, {store.count_records():,} records")
            return times
        if have:
            raise SystemExit(f"{store.url} holds {have:,} claims, not {n_claims:,}: give an "
                             "empty database (or a new SQLite path) to build a fresh one")
        t0 = time.perf_counter()
        n_docs, n = generate(store, n_claims, seed)
        times["generate+insert (s)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        summary = refresh_all(store)
        times["fuse (s)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        times["analyze (s)"] = time.perf_counter() - t0
        store.add_user("bench", hash_password(PASSWORD), "analyst")
        print(f"built {store.url}: {n_docs:,} documents, {n:,} claims, "
              f"{summary.records:,} records")
    return times


def _sample(url: str, seed: int) -> tuple[list[str], list[dict[str, str]]]:
    """Record ids to open and filter combinations to ask for, drawn from the data itself."""
    rng = random.Random(seed)
    with open_store(url) as store, store.engine.connect() as conn:
        t = RecordRow.__table__.c
        total = conn.scalar(select(func.count()).select_from(RecordRow.__table__)) or 0
        ids = [r for r, in conn.execute(select(t.record_id).order_by(t.record_id)
                                        .offset(rng.randrange(max(total - 5000, 1)))
                                        .limit(5000))]
        pairs = [(s, r) for s, r in conn.execute(
            select(t.supplier, t.recipient).where(t.kind == "transfer")
            .group_by(t.supplier, t.recipient).order_by(func.count().desc()).limit(60))]
    combos: list[dict[str, str]] = []
    for _ in range(300):
        s, r = rng.choice(pairs)
        shape = rng.randrange(8)
        combo = [{"supplier": s}, {"recipient": r}, {"supplier": s, "recipient": r},
                 {"category": rng.choice(CATEGORIES)},
                 {"supplier": s, "category": rng.choice(list(ITEMS))},
                 {"certainty": rng.choice(CERTAINTY), "min_sources": "2"},
                 {"since": f"{rng.randrange(2018, 2026)}-01", "kind": "transfer"},
                 {"recipient": r, "since": f"{rng.randrange(2015, 2025)}",
                  "until": "2026", "stage": "delivered"}][shape]
        combos.append(combo)
    rng.shuffle(ids)
    return ids, combos


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "armstrace", "serve", "--db", url, "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stderr is not None
    line = proc.stderr.readline().decode()  # "armstrace: serving … at http://…/"
    print(line.strip())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("armstrace serve did not answer within 60 s")


async def sign_in(base: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=base) as c:
        form = await c.get("/login")
        m = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert m, "no CSRF token on /login"
        r = await c.post("/login", data={"name": "bench", "password": PASSWORD,
                                         "csrf_token": m.group(1), "next": "/"})
        assert r.status_code in (200, 303) and "armstrace_session" in c.cookies, r.status_code
        return {"armstrace_session": c.cookies["armstrace_session"]}


async def load(base: str, ids: list[str], combos: list[dict[str, str]], args: Any
               ) -> tuple[dict[str, list[float]], dict[str, list[str]], list[float]]:
    sessions = [await sign_in(base) for _ in range(args.sessions)]
    cold: list[float] = []
    if args.prime:
        # every filter combination once, 8 at a time: the cost of a cold cache, shown apart
        todo = [None, *{tuple(sorted(c.items())) for c in combos}]
        sem = asyncio.Semaphore(8)
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            async def prime(combo: tuple[tuple[str, str], ...] | None) -> None:
                async with sem:
                    t0 = time.monotonic()
                    r = await http.get("/records", params=dict(combo or ()),
                                       cookies=sessions[0])
                    cold.append(time.monotonic() - t0)
                    assert r.status_code == 200, (combo, r.status_code)
            await asyncio.gather(*(prime(c) for c in todo))
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    # idle connections are dropped by the client before the server's keep-alive timeout (65 s)
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients,
                          keepalive_expiry=30)
    start = time.monotonic()
    counting_from = start + args.warmup
    stop = counting_from + args.duration

    async def client(i: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(args.seed * 1000 + i)
        cookies = sessions[i % len(sessions)]
        pending_next: str | None = None
        while time.monotonic() < stop:
            if args.think:
                await asyncio.sleep(rng.expovariate(1 / args.think))
            roll = rng.random()
            if pending_next:
                kind, path, params = "records", pending_next, None
            elif roll < 0.35:
                kind, path, params = "records", "/records", None
            elif roll < 0.7:
                kind, path, params = "records_filtered", "/records", rng.choice(combos)
            else:
                kind, path, params = "record", f"/records/{rng.choice(ids)}", None
            t0 = time.monotonic()
            try:
                r = await http.get(path, params=params, cookies=cookies)
                body = r.text
                ok = r.status_code == 200
                problem = f"HTTP {r.status_code}"
            except httpx.HTTPError as e:
                ok, body, problem = False, "", f"{type(e).__name__}: {e}"
            t1 = time.monotonic()
            if t0 >= counting_from and t1 <= stop:
                lat[kind].append(t1 - t0)
                if not ok:
                    errors[kind].append(problem)
            pending_next = None
            if kind == "records" and ok and rng.random() < 0.3:
                m = re.search(r'rel="next" id="next" href="([^"]+)"', body)
                pending_next = m.group(1).replace("&amp;", "&") if m else None

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(i, http) for i in range(args.clients)))
    return lat, errors, cold


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children so far (Linux /proc)."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            f = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    try:
        kids = [int(k) for k in
                Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None,
                    help="store URL (default: a SQLite file in the temp folder, reused)")
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--duration", type=float, default=60, help="seconds measured")
    ap.add_argument("--warmup", type=float, default=10, help="seconds not measured")
    ap.add_argument("--think", type=float, default=5.0,
                    help="mean think time between a client's requests (s); 0: closed loop")
    ap.add_argument("--sessions", type=int, default=10, help="sign-ins shared by the clients")
    ap.add_argument("--no-prime", dest="prime", action="store_false",
                    help="skip opening every filter combination once before the run")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--workers", type=int, default=1, help="armstrace serve --workers")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args()
    default = Path(tempfile.gettempdir()) / f"armstrace-bench-{args.claims}.db"
    url = args.db or f"sqlite:///{default}"

    times = build(url, args.claims, args.seed, args.rebuild)
    for k, v in times.items():
        print(f"{k:<22}{v:>10.1f}")
    if args.build_only:
        return
    ids, combos = _sample(url, args.seed)
    proc = start_server(url, args.port, args.workers)
    cpu0 = cpu_seconds(proc.pid)
    load0 = os.getloadavg()[0]
    try:
        lat, errors, cold = asyncio.run(load(f"http://127.0.0.1:{args.port}", ids, combos,
                                             args))
        server_cpu = cpu_seconds(proc.pid) - cpu0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    duration = args.duration
    if cold:
        print(f"\ncold cache: {len(cold)} distinct records lists (facets computed), "
              f"8 at a time: p50 {pct(cold, 50):.0f} ms, p95 {pct(cold, 95):.0f} ms, "
              f"max {max(cold) * 1000:.0f} ms")
    offered = (f"offered about {args.clients / args.think:.0f} req/s" if args.think
               else "closed loop")
    print(f"\n{args.clients} clients, think {args.think:g} s ({offered}), {duration:g} s "
          f"measured after {args.warmup:g} s warm-up")
    head = f"{'page':<18}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}" \
           f"{'p99 ms':>9}{'max ms':>9}"
    print(head)
    met = True
    every: list[float] = []
    for kind in KINDS:
        v = lat.get(kind, [])
        every += v
        print(f"{kind:<18}{len(v):>9}{len(errors.get(kind, [])):>8}{len(v) / duration:>8.1f}"
              f"{pct(v, 50):>9.1f}{pct(v, 95):>9.1f}{pct(v, 99):>9.1f}"
              f"{(max(v) * 1000 if v else float('nan')):>9.1f}")
        met &= bool(v) and not errors.get(kind) and pct(v, 95) < 200
    print(f"{'all':<18}{len(every):>9}{sum(len(e) for e in errors.values()):>8}"
          f"{len(every) / duration:>8.1f}{pct(every, 50):>9.1f}{pct(every, 95):>9.1f}"
          f"{pct(every, 99):>9.1f}")
    for kind, errs in errors.items():
        for problem in sorted(set(errs))[:5]:
            print(f"  {kind}: {problem} ×{errs.count(problem)}")
    if every:
        print(f"mean {statistics.fmean(every) * 1000:.1f} ms; server CPU over the whole run "
              f"(priming and warm-up included) {server_cpu:.1f} s; load average "
              f"{load0:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)")
    print(f"target: no errors, p95 < 200 ms per page kind: {'met' if met else 'MISSED'}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
