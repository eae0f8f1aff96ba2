"""Benchmark: `pathways import_oruk` of 10,000 and 100,000 services.

For each size, a realistic Open Referral UK JSON feed is written to disk (streamed: one service at a
time), a fresh database is migrated, and `pathways import_oruk FILE` runs in its own process. The wall
time and the import process's peak resident memory (from os.wait4, the same rusage that
resource.getrusage(RUSAGE_CHILDREN) reports) are recorded. Memory that does not grow with the file
shows as about the same peak for 10,000 and 100,000 services.

    .venv/bin/python -m bench oruk_import                  # as `make bench` runs it (writes BENCHMARKS.md)
    .venv/bin/python -m bench.oruk_import                  # both sizes, SQLite and PostgreSQL, printed only
    BENCH_ORUK_SIZES=2000 BENCH_DATABASES=sqlite .venv/bin/python -m bench.oruk_import

PostgreSQL is the server of BENCH_DATABASE_URL (default the local one), in a database of its own,
``pathways_bench_oruk``, dropped and created for each measurement; it is skipped if no server answers.

The target (issue 4): 100,000 services in 60 s or less, with memory that does not grow with the file.
"""

import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_DATABASE = "pathways_bench_oruk"  # created afresh (dropped first) for each measurement
DEFAULT_SIZES = (10_000, 100_000)
SERVICES_PER_ORGANISATION = 25

# The seeded taxonomy's codes (taxonomy/seed.py) and the fixed namespace of their ORUK ids.
TERM_NAMESPACE = uuid.UUID("6f1c2a52-3a1e-4c59-9b0f-2d7c5a1e8e40")
ORUK_NAMESPACE = uuid.UUID("0d3b7f5e-8a52-4c36-9b8f-5e4d1a6c2b71")
PATHWAYS = ["pathway-accommodation", "pathway-ete", "pathway-health", "pathway-drugs-alcohol", "pathway-finance",
            "pathway-children-families", "pathway-attitudes"]
CATEGORIES = ["category-advice", "category-housing", "category-mentoring", "category-counselling", "category-arts",
              "category-basic-skills", "category-family-support", "category-befriending"]
FEATURES = ["route-self", "route-agency", "setting-custody", "setting-community", "peer-led"]
TOWNS = [("Leeds", "LS", 53.80, -1.55), ("Bradford", "BD", 53.79, -1.75), ("Sheffield", "S", 53.38, -1.47),
         ("Hull", "HU", 53.74, -0.33), ("York", "YO", 53.96, -1.08), ("Wakefield", "WF", 53.68, -1.50),
         ("Doncaster", "DN", 53.52, -1.13), ("Huddersfield", "HD", 53.65, -1.78)]
WORDS = ("advice support housing employment training mentoring recovery family wellbeing debt benefits "
         "drop-in peer counselling education skills resettlement women young adults prison release").split()
DAYS = ["MO", "TU", "WE", "TH", "FR"]
DESCRIPTIONS = ["Drop-in: no appointment needed", "By appointment", "Open"]


def _id(*parts) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, ":".join(str(part) for part in parts)))


def _term(code: str, name: str) -> dict:
    return {"id": str(uuid.uuid5(TERM_NAMESPACE, f"term:{code}")), "name": name, "description": "", "term": code}


def _feature(code: str) -> dict:
    return {"id": str(uuid.uuid5(ORUK_NAMESPACE, f"feature:{code}")), "name": code, "description": ""}


def service_document(n: int, rng: random.Random) -> dict:
    sid = _id("bench-service", n)
    org = n // SERVICES_PER_ORGANISATION
    org_id = _id("bench-organisation", org)
    town, area, lat, lon = TOWNS[n % len(TOWNS)]
    words = rng.sample(WORDS, 6)
    attributes = []
    for code in [rng.choice(PATHWAYS), rng.choice(CATEGORIES)]:
        term = _term(code, code.split("-", 1)[1].replace("-", " ").capitalize())
        attributes.append({"id": _id(sid, code), "link_id": sid, "link_type": "service",
                           "taxonomy_term_id": term["id"], "taxonomy_term": term})
    for code in rng.sample(FEATURES, 2):
        feature = _feature(code)
        attributes.append({"id": _id(sid, code), "link_id": sid, "taxonomy_term_id": feature["id"],
                           "taxonomy_term": feature})
    locations = []
    for k in range(1 if n % 5 else 2):
        loc = _id("bench-location", n, k)
        locations.append({
            "id": _id("bench-sal", n, k), "service_id": sid, "location_id": loc,
            "location": {
                "id": loc, "location_type": "physical", "name": f"{town} {words[0].capitalize()} Centre {n}-{k}",
                "latitude": round(lat + rng.uniform(-0.08, 0.08), 5), "longitude": round(lon + rng.uniform(-0.1, 0.1), 5),
                "addresses": [{
                    "id": _id("bench-address", n, k), "location_id": loc, "address_1": f"{rng.randint(1, 300)} High Street",
                    "city": town, "state_province": "Yorkshire", "postal_code": f"{area}{rng.randint(1, 20)} {rng.randint(1, 9)}AB",
                    "country": "GB", "address_type": "physical",
                }],
            },
        })
    schedules = [{
        "id": _id("bench-schedule", n, k), "service_id": sid, "freq": "WEEKLY", "byday": day,
        "opens_at": f"{9 + k:02}:00", "closes_at": f"{12 + k:02}:30", "description": rng.choice(DESCRIPTIONS),
    } for k, day in enumerate(rng.sample(DAYS, rng.randint(1, 3)))]
    return {
        "id": sid,
        "organization_id": org_id,
        "name": f"{words[1].capitalize()} and {words[2]} service {n}",
        "description": f"{' '.join(words).capitalize()} for people in and leaving prison in {town}. " * 2,
        "url": f"https://org{org}.example.org/services/{n}",
        "email": f"service{n}@org{org}.example.org",
        "status": "active",
        "minimum_age": rng.choice([16, 18, 18, 21]),
        "assured_date": f"2025-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
        "last_modified": "2025-06-01T09:00:00Z",
        "organization": {"id": org_id, "name": f"Bench Organisation {org}", "description": "A voluntary organisation.",
                         "website": f"https://org{org}.example.org"},
        "service_at_locations": locations,
        "schedules": schedules,
        "languages": [{"id": _id(sid, "language"), "service_id": sid, "name": rng.choice(["English", "Polish", "Urdu"])}],
        "cost_options": [{"id": _id(sid, "cost"), "service_id": sid, "option": "Free", "amount": 0}],
        "contacts": [{"id": _id("bench-contact", n), "service_id": sid, "name": f"Contact {n}", "title": "Coordinator",
                      "email": f"contact{n}@org{org}.example.org",
                      "phones": [{"id": _id("bench-phone", n), "number": f"0113 496 {n % 10000:04}"}]}],
        "attributes": attributes,
    }


def generate(path: Path, count: int, seed: int = 4) -> int:
    """Write ``count`` services to ``path`` as a JSON list, one at a time. Returns the file's size."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as file:
        file.write("[")
        for n in range(count):
            file.write("\n" if n == 0 else ",\n")
            file.write(json.dumps(service_document(n, rng), separators=(",", ":")))
        file.write("\n]\n")
    return path.stat().st_size


def _pathways(args: list[str], env: dict) -> tuple[float, int, int, str, float]:
    """Run `pathways ARGS`; (seconds, peak RSS in MiB, exit status, output, CPU seconds)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pathways.cli", *args], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss // 1024, process.returncode, output, usage.ru_utime + usage.ru_stime


def _fresh_database(database_url: str | None, folder: Path) -> dict:
    # Development settings without DEBUG (which would keep every query): as a deployed command runs.
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PATHWAYS_ENV": "development", "DEBUG": "false",
           "PATHWAYS_VAR_DIR": str(folder)}
    if database_url and database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    seconds, _rss, status, output, _cpu = _pathways(["migrate", "-v0"], env)
    if status:
        raise RuntimeError(f"migrate failed:\n{output}")
    if env["DATABASE_URL"].startswith("postgres"):
        # The server settled before timing: the earlier measurement's writes out to disk, not alongside this one.
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
            connection.execute("CHECKPOINT")
    return env


def measure(count: int, *, database_url: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-oruk-") as folder:
        folder = Path(folder)
        feed = folder / f"services-{count}.json"
        started = time.perf_counter()
        size = generate(feed, count)
        generated = time.perf_counter() - started
        env = _fresh_database(database_url, folder)
        load_before = os.getloadavg()[0]
        seconds, rss_mib, status, output, cpu = _pathways(["import_oruk", str(feed), "--quiet"], env)
        if status:
            raise RuntimeError(f"import_oruk failed ({status}):\n{output[-3000:]}")
        again, again_rss, status, output_again, again_cpu = _pathways(["import_oruk", str(feed), "--quiet"], env)
        return {
            "services": count,
            "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
            "file_mib": round(size / 2**20, 1),
            "generate_seconds": round(generated, 1),
            "import_seconds": round(seconds, 1),
            "import_cpu_seconds": round(cpu, 1),
            "load_average_before": round(load_before, 1),
            "services_per_second": round(count / seconds),
            "peak_rss_mib": rss_mib,
            "reimport_seconds": round(again, 1),
            "reimport_cpu_seconds": round(again_cpu, 1),
            "reimport_peak_rss_mib": again_rss,
            "reimport_output": output_again.strip().splitlines()[-1] if output_again.strip() else "",
            "within_target": seconds <= TARGET_SECONDS,
        }


def _postgres_url() -> str | None:
    """Our own database on the PostgreSQL server of BENCH_DATABASE_URL (or the local default), if it answers."""
    base = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES
    url = base.rsplit("/", 1)[0] + "/" + POSTGRES_DATABASE
    try:
        import psycopg

        with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return url
    except Exception:  # noqa: BLE001 (no server: PostgreSQL is skipped and the report says so)
        return None


def run(sizes=None) -> dict:
    """Figures for the benchmark report: one row per database and size, and whether memory stayed flat."""
    if sizes is None:
        sizes = tuple(int(s) for s in os.environ.get("BENCH_ORUK_SIZES", "").split(",") if s) or DEFAULT_SIZES
    rows, skipped = [], []
    for database in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(","):
        if database == "sqlite":
            rows += [measure(size) for size in sizes]
        elif database == "postgresql":
            url = _postgres_url()
            if url is None:
                skipped.append("postgresql: no server answered")
            else:
                rows += [measure(size, database_url=url) for size in sizes]
    growth = {}
    for database in {row["database"] for row in rows}:
        mine = [row for row in rows if row["database"] == database]
        growth[database] = {
            "memory_mib": mine[-1]["peak_rss_mib"] - mine[0]["peak_rss_mib"],
            "file_mib": round(mine[-1]["file_mib"] - mine[0]["file_mib"], 1),
        }
    return {
        "name": "oruk_import",
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "target": f"{TARGET_SECONDS} s for 100,000 services; memory flat as the file grows",
        "rows": rows,
        "growth": growth,
        "skipped": skipped,
    }


def report(figures: dict) -> str:
    lines = [
        f"`pathways import_oruk` of a generated feed into an empty, migrated database, on {figures['machine']}. "
        f"Target: {figures['target']}.",
        "",
        "Wall time of the command; in brackets the CPU time of its processes (the import checks the feed in a "
        "second process while the first writes). Peak RSS is the larger of the two processes. The re-import is "
        "the same feed again: every service is compared and left unchanged. *Load* is the machine's load "
        "average just before the run (other work on the machine slows the figures).",
        "",
        "| services | database | file MiB | import s (CPU s) | services/s | peak RSS MiB "
        "| re-import s (CPU s) | re-import RSS MiB | load | ≤ 60 s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in figures["rows"]:
        lines.append(
            f"| {row['services']:,} | {row['database']} | {row['file_mib']} | {row['import_seconds']} "
            f"({row['import_cpu_seconds']}) | {row['services_per_second']:,} | {row['peak_rss_mib']} | "
            f"{row['reimport_seconds']} ({row['reimport_cpu_seconds']}) | {row['reimport_peak_rss_mib']} | "
            f"{row['load_average_before']} | {'yes' if row['within_target'] else '**no**'} |"
        )
    lines.append("")
    for database, growth in sorted(figures["growth"].items()):
        lines.append(f"- {database}: peak memory grew {growth['memory_mib']} MiB while the file grew "
                     f"{growth['file_mib']} MiB.")
    for note in figures["skipped"]:
        lines.append(f"- Skipped {note}.")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run()))
