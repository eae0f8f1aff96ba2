"""Benchmark: search over 100,000 services on SQLite and PostgreSQL, against a naive scan.

For each database a fresh synthetic directory is built with `pathways generate_directory` (SQLite in a
temporary file; PostgreSQL at BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/pathways_bench when a server answers). Then, in a worker process with
the database's settings, three kinds of search are timed through ``service_search`` exactly as the page
calls it (facet counts and the page of services included):

* text: a word or two people type ("housing", "debt advice", "through the gate"...);
* text + facets: the same words with one to three facets ticked (pathway, referral route, custody or
  community, cost, client group, area);
* text + postcode radius: the same words near a postcode district across England and Wales, within 5,
  10 or 25 miles, nearest first.

Each query runs once to warm up (the first also reads the search rows into memory, timed apart), then
twice timed; p50 and p95 are over the timed runs. The naive baseline is measured in the same run: load
the published services with their organisation, terms, areas and locations into Python, match every
word as a substring, compute distances with haversine, filter, count the facets and sort; a few
queries of each kind, as each takes seconds.

    .venv/bin/python -m bench.search                       # both databases, 100,000 services
    BENCH_SERVICES=10000 .venv/bin/python -m bench.search  # smaller
    BENCH_DATABASES=sqlite .venv/bin/python -m bench.search

Targets (issue 4): p95 ≤ 100 ms on SQLite and ≤ 30 ms on PostgreSQL for each kind, and at least 20 times
faster than the naive scan.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = int(os.environ.get("BENCH_SERVICES", "100000"))
SEED = int(os.environ.get("BENCH_SEED", "7"))
TARGET_P95_MS = {"sqlite": 100.0, "postgresql": 30.0}
TARGET_RATIO = 20.0
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/pathways_bench"
KINDS = ("text", "text + facets", "text + postcode radius")

# What people type: needs in the sector's words (chosen before the timings were looked at).
TEXTS = [
    "housing", "supported housing", "debt advice", "benefits", "mentoring", "peer mentor", "drug", "alcohol",
    "recovery", "employment", "training", "jobs club", "counselling", "mental health", "women", "domestic abuse",
    "family", "prison visits", "children", "gambling", "veterans", "young adults", "care leavers", "homeless",
    "rough sleeping", "befriending", "restorative justice", "faith", "chaplaincy", "arts", "music",
    "english language", "esol", "reading", "digital skills", "through the gate", "release", "tenancy",
    "bank account", "foreign nationals",
]
FACET_SETS = [
    {"pathway": ["pathway-accommodation"]},
    {"route": ["self"]},
    {"setting": ["community"], "cost": ["free"]},
    {"area": ["@Yorkshire and the Humber"]},
    {"group": ["group-women", "group-young-adults"]},
    {"pathway": ["pathway-ete", "pathway-finance"], "route": ["self", "agency"]},
    {"setting": ["custody"], "route": ["agency"], "cost": ["free"]},
    {"area": ["@Manchester", "@Liverpool"], "route": ["self"]},
]
DISTRICTS = ["LS6", "M1", "B15", "S1", "HU3", "NE1", "BS1", "L8", "NG7", "E1", "CF10", "SO14", "YO1", "BD1", "WF1",
             "LE1", "CV1", "NR1", "PL4", "SW9"]
RADII = [5, 10, 25]
NAIVE_QUERIES = int(os.environ.get("BENCH_NAIVE_QUERIES", "2"))  # of each kind: each takes most of a minute


# The parent: build each database, run the worker, gather the figures ------------------------------------

def run() -> dict:
    databases = []
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        if "sqlite" in wanted:
            databases.append(_measure(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", Path(folder)))
        if "postgresql" in wanted:
            url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES
            if _postgres_ready(url):
                databases.append(_measure(url, Path(folder)))
            else:
                databases.append({"database": "postgresql", "skipped": f"no PostgreSQL server answered at {url}"})
    return {"name": "search", "services": SERVICES, "seed": SEED, "machine": machine(), "databases": databases}


def _env(database_url: str, folder: Path) -> dict:
    # Development settings without DEBUG (which would keep every query), as a deployed site runs.
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PATHWAYS_ENV": "development", "DEBUG": "false",
            "PATHWAYS_VAR_DIR": str(folder), "DATABASE_URL": database_url}


def _postgres_ready(url: str) -> bool:
    try:
        import psycopg

        base, _name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _measure(database_url: str, folder: Path) -> dict:
    env = _env(database_url, folder)
    vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
    if vendor == "postgresql":
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    _pathways(["migrate", "-v0"], env)
    started = time.perf_counter()
    _pathways(["generate_directory", "--services", str(SERVICES), "--seed", str(SEED)], env)
    built = time.perf_counter() - started
    if vendor == "postgresql":
        # A settled database, as a deployed one is: statistics gathered, and the writing of the new directory
        # done (a checkpoint still writing it out would run alongside the timings).
        _pathways(["shell", "-c", "from django.db import connection; c = connection.cursor();"
                   " c.execute('VACUUM ANALYZE'); c.execute('CHECKPOINT')"], env)
    done = subprocess.run([sys.executable, "-m", "bench.search", "--worker"], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"The {vendor} worker failed:\n{done.stderr[-5000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["build_seconds"] = round(built, 1)
    return figures


def _pathways(args: list[str], env: dict) -> str:
    result = subprocess.run([sys.executable, "-m", "pathways.cli", *args], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"pathways {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result.stdout


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")).split()[1])
        memory = f"{kib / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    import sqlite3

    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory": memory,
        "os": f"{platform.system()} {platform.release()} ({_os_name()})",
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


# The worker: in a process with the database's settings ---------------------------------------------------

def worker() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.settings")
    django.setup()
    from django.db import connection

    from pathways.directory.selectors.postcodes import postcode_locate
    from pathways.organisations.models import Place

    places = {name: str(pk) for pk, name in Place.objects.values_list("pk", "name")}

    def facets_of(facet_set):
        return {facet: [places.get(v[1:], "0") if v.startswith("@") else v for v in values]
                for facet, values in facet_set.items()}

    queries = {
        "text": [dict(text=text) for text in TEXTS],
        "text + facets": [dict(text=text, facets=facets_of(FACET_SETS[n % len(FACET_SETS)]))
                          for n, text in enumerate(TEXTS)],
        "text + postcode radius": [
            dict(text=text, near=postcode_locate(code=DISTRICTS[n % len(DISTRICTS)]),
                 radius_miles=float(RADII[n % len(RADII)]), order="distance")
            for n, text in enumerate(TEXTS)
        ],
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    result = {"database": connection.vendor, "version": version, "kinds": {}}
    from pathways.directory.models import ServiceSearchDocument

    result["published"] = ServiceSearchDocument.objects.count()
    # What a process pays once after each change to the search rows: reading them into memory.
    import numpy as np

    from pathways.directory.selectors.search_memory import search_memory_read

    started = time.perf_counter()
    copy = search_memory_read(signature=())
    result["memory_read_s"] = round(time.perf_counter() - started, 2)
    result["memory_mib"] = round(sum(value.nbytes for value in vars(copy).values()
                                     if isinstance(value, np.ndarray)) / 2**20, 1)
    for kind, calls in queries.items():
        result["kinds"][kind] = _time_kind(calls)
    for kind, calls in queries.items():
        naive = [_naive_time(call) for call in calls[:NAIVE_QUERIES]]
        result["kinds"][kind]["naive_ms"] = [round(ms, 1) for ms, _total in naive]
        result["kinds"][kind]["naive_totals"] = [total for _ms, total in naive]
    return result


def _time_kind(calls: list[dict]) -> dict:
    from pathways.directory.selectors.search import service_search

    totals = [service_search(**call).total for call in calls]  # warm-up, and the number of matches
    timings = []
    for _round in range(2):
        for call in calls:
            started = time.perf_counter()
            service_search(**call)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "runs": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 95), 1),
        "max_ms": round(timings[-1], 1),
        "totals": totals,
        "median_matches": int(statistics.median(totals)),
        "max_matches": max(totals),
    }


def _percentile(ordered: list[float], percent: float) -> float:
    """The nearest-rank percentile of sorted values."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def _naive_time(call: dict) -> tuple[float, int]:
    started = time.perf_counter()
    total, _page = naive_search(**call)
    return (time.perf_counter() - started) * 1000, total


def naive_search(*, text="", facets=None, near=None, radius_miles=None, order="relevance", page=1, per_page=20):
    """The naive way: every published service into Python, then substring match, haversine, counts, sort.
    Matches words as the real search does (lower case, a word's common ending off, found anywhere)."""
    from collections import Counter

    from pathways.directory.models import Publication, Service
    from pathways.directory.selectors.search import haversine_miles, search_words
    from pathways.organisations.models import Place

    parents = dict(Place.objects.values_list("pk", "parent_id"))
    services = (  # every published service, read in chunks (with their related records) as Django allows
        Service.objects.filter(publication=Publication.PUBLISHED)
        .select_related("organisation")
        .prefetch_related("terms__vocabulary", "areas", "service_at_locations__location")
        .iterator(chunk_size=500)
    )
    words = [word for word, _prefix in search_words(text)]
    facets = {facet: set(values) for facet, values in (facets or {}).items() if values}
    hits, counts = [], Counter()
    for service in services:
        locations = [sal.location for sal in service.service_at_locations.all()]
        haystack = " ".join([
            service.name, service.organisation.name, service.description, service.eligibility,
            service.referral_details, service.fees, " ".join(service.languages or []),
            *(term.name for term in service.terms.all()), *(place.name for place in service.areas.all()),
            *(f"{loc.name} {loc.address_1} {loc.city} {loc.postcode}" for loc in locations),
        ]).lower()
        if not all(word in haystack for word in words):
            continue
        values = {"pathway": set(), "category": set(), "group": set(), "area": set(), "route": set(),
                  "setting": set(), "cost": {"free" if service.is_free else "paid"}}
        prefix_facet = {"pathway": "pathway", "category": "category", "group": "group"}
        for term in service.terms.all():
            facet = prefix_facet.get(term.code.split("-", 1)[0])
            if facet:
                values[facet].add(term.code)
        for place in service.areas.all():
            place_id = place.pk
            while place_id is not None:
                values["area"].add(str(place_id))
                place_id = parents.get(place_id)
        for facet, value, field in (("route", "self", "self_referral"), ("route", "agency", "agency_referral"),
                                    ("route", "statutory", "statutory_referral_only"),
                                    ("setting", "custody", "in_custody"), ("setting", "community", "in_community"),
                                    ("setting", "gate", "through_the_gate")):
            if getattr(service, field):
                values[facet].add(value)
        if any(not (values[facet] & chosen) for facet, chosen in facets.items()):
            continue
        distance = None
        if near is not None:
            distances = [haversine_miles(near, (loc.latitude, loc.longitude)) for loc in locations
                         if loc.latitude is not None and loc.longitude is not None]
            distance = min(distances) if distances else None
            if radius_miles is not None and (distance is None or distance > radius_miles):
                continue
        hits.append((distance if distance is not None else float("inf"), service.name.casefold(), service.pk))
        for facet, found in values.items():
            counts.update((facet, value) for value in found)
    hits.sort()
    return len(hits), hits[(page - 1) * per_page: page * per_page]


# The report ----------------------------------------------------------------------------------------------

def report(figures: dict) -> str:
    m = figures["machine"]
    lines = [
        f"Search over {figures['services']:,} generated services (seed {figures['seed']}), "
        f"`service_search` as the search page calls it: facet counts and the page of services included.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}, Python {m['python']}, "
        f"SQLite {m['sqlite']}; load average at the start {', '.join(map(str, m['load_average']))}.",
        "",
        "| database | kind | p50 ms | p95 ms | max ms | target p95 | naive p50 ms | p50 ratio | p95 ratio "
        "| median matches | meets target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    notes = []
    for db in figures["databases"]:
        if "skipped" in db:
            notes.append(f"{db['database']}: not measured ({db['skipped']}).")
            continue
        target = TARGET_P95_MS[db["database"]]
        for kind in KINDS:
            k = db["kinds"][kind]
            naive = statistics.median(k["naive_ms"])
            ratio50 = naive / k["p50_ms"] if k["p50_ms"] else float("inf")
            ratio95 = naive / k["p95_ms"] if k["p95_ms"] else float("inf")
            ok = k["p95_ms"] <= target and min(ratio50, ratio95) >= TARGET_RATIO
            lines.append(
                f"| {db['database']} {db['version']} | {kind} | {k['p50_ms']} | {k['p95_ms']} | {k['max_ms']} "
                f"| ≤ {target:g} | {naive:,.0f} | {ratio50:,.0f}× | {ratio95:,.0f}× | {k['median_matches']:,} "
                f"| {'yes' if ok else '**no**'} |"
            )
        notes.append(f"{db['database']}: {db['published']:,} published services; directory built in "
                     f"{db['build_seconds']:,} s; {db['kinds']['text']['runs']} timed searches of each kind; "
                     f"the search rows read into memory in {db['memory_read_s']} s ({db['memory_mib']} MiB of "
                     "arrays), once in each process after a change.")
    return "\n".join(lines + [""] + [f"- {note}" for note in notes])


if __name__ == "__main__":
    if "--worker" in sys.argv:
        print(json.dumps(worker()))
    else:
        figures = run()
        print(report(figures))
