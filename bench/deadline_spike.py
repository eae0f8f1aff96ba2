"""Benchmark: the deadline spike. 1,000 sealed bids, each with a 5 MB attachment, submitted through gunicorn and
PostgreSQL in the last minutes before an opportunity's deadline (issue 5, point 13).

What it builds (in a fresh PostgreSQL database at BENCH_DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/pathways_bench_spike, migrated):

* a probation region with a commissioner, and one opportunity open for bids with a quality criterion (500
  words) and a price criterion, published through the opportunities services (so it has its sealing keys);
* 1,000 bidding charities, each with one manager who signs in with a password (all share one password hash,
  computed once with Django's default hasher, so each sign-in costs what a real one does), plus a few more
  for the late bids. Created in bulk.

How it serves: gunicorn (gthread, BENCH_GUNICORN_WORKERS workers × BENCH_GUNICORN_THREADS threads) with the
project's WSGI application in production mode (PATHWAYS_ENV=production, DEBUG off, real-length SECRET_KEY and
BID_SEALING_KEY made for the run, collected and compressed static files, media in a temporary folder). There is
no TLS here, so the clients send ``X-Forwarded-Proto: https`` as the TLS proxy in front of a deployment does
(SECURE_SSL_REDIRECT is off; HTTPS-only cookies, HSTS and the CSRF origin checks stay on). Receipt emails go to
the console backend; a Huey job consumer (``pathways run_huey``) sends them, as in a deployment, and they
are counted in its log.

What each bidder does, as a browser would (http.client, one connection per request, cookies kept by the
client). Before the spike, as they would while writing the bid in the days before: GET the sign-in page and
POST the sign-in form with its CSRF token (timed and reported apart; BENCH_SIGN_IN_IN_SPIKE=1 signs in inside
the spike instead). In the spike: GET the opportunity, POST "Start a
bid", GET the draft form, POST the section and the price, GET the bid page, then **POST the 5 MB attachment**
(random bytes behind a PDF header, so it passes the content check), GET the bid page, GET the confirmation page,
**POST submit**, GET the receipt (whose content hash is kept and checked against the database). The *submission
time* is the time of the two requests in bold: the attachment upload plus the submit, each from sending the
request to reading the whole response. The other requests are timed per kind and reported too.

The spike: the deadline is set BENCH_WINDOW_SECONDS (600) after the spike starts. Each bidder's start time is
drawn at random (seeded), uniformly over the first BENCH_SPREAD_SECONDS (540) of the window, so 1,000 bidders
arrive at the rate the target asks for, and up to BENCH_CONCURRENCY (50) are served at once (a bidder whose
start time comes while 50 are in flight waits for a place; the lag is recorded). Before the spike,
BENCH_LATE (10) more bidders prepare complete drafts with their attachment and open the confirmation page;
one second after the deadline they press submit, and one more tries to upload an attachment.

Then the checks: every bidder in the spike got a receipt; the database holds exactly that many submitted
bids, each submitted before the deadline with one sealed attachment on disk (and its receipt hash matching the
one the bidder was shown); the late ones are all refused and still drafts; no plaintext file is left on disk
(no ``.draft`` file, no file starting with ``%PDF``); and after the deadline the bids are opened with the
service and every attachment unsealed and compared with the SHA-256 of what its bidder sent.

    .venv/bin/python -m bench deadline_spike                               # writes BENCHMARKS.md
    BENCH_BIDS=20 BENCH_ATTACHMENT_MB=1 BENCH_WINDOW_SECONDS=60 .venv/bin/python -m bench.deadline_spike

The media folder is deleted afterwards and so is the database, unless BENCH_KEEP_DATABASE=1.

Targets (issue 5): 1,000 submissions within 10 minutes, none lost, none accepted after the deadline, p95
submission time ≤ 2 s.
"""

import hashlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIDS = int(os.environ.get("BENCH_BIDS", "1000"))
ATTACHMENT_MB = float(os.environ.get("BENCH_ATTACHMENT_MB", "5"))
LATE = int(os.environ.get("BENCH_LATE", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "50"))
WINDOW_SECONDS = float(os.environ.get("BENCH_WINDOW_SECONDS", "600"))
SPREAD_SECONDS = float(os.environ.get("BENCH_SPREAD_SECONDS", str(WINDOW_SECONDS * 0.9)))
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "5"))
GUNICORN_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
SEED = int(os.environ.get("BENCH_SEED", "7"))
KEEP_DATABASE = os.environ.get("BENCH_KEEP_DATABASE", "") not in ("", "0", "false")
# Bidders sign in before the spike, as they do to write their bids in the days before; with 1, in the spike.
SIGN_IN_IN_SPIKE = os.environ.get("BENCH_SIGN_IN_IN_SPIKE", "") not in ("", "0", "false")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/pathways_bench_spike"
TARGET_P95_SECONDS = 2.0
TARGET_WINDOW_SECONDS = 600.0
SEALED_OVERHEAD = 1 + 32 + 12 + 16  # version, ephemeral public key, nonce, GCM tag (sealing.seal)
ANSWER = ("We will give each woman a named key worker from her last month in custody, meet her at the gate, "
          "and stay with her until she has held a tenancy for six months. ") * 6
SECTION_PATTERN = re.compile(r'name="(section_\d+)"')
CSRF_PATTERN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HASH_PATTERN = re.compile(r'class="pathways-hash"[^>]*>([0-9a-f]{64})<')
BID_PATTERN = re.compile(r"/opportunities/bids/([0-9a-f-]{36})/")


# The parent: database, server, clients, checks --------------------------------------------------------------

def run() -> dict:
    from bench.search import machine

    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES
    figures = {"name": "deadline_spike", "bids": BIDS, "late": LATE, "attachment_mb": ATTACHMENT_MB,
               "concurrency": CONCURRENCY, "window_seconds": WINDOW_SECONDS, "spread_seconds": SPREAD_SECONDS,
               "gunicorn": {"workers": GUNICORN_WORKERS, "threads": GUNICORN_THREADS, "worker_class": "gthread"},
               "seed": SEED, "machine": machine()}
    folder = Path(tempfile.mkdtemp(prefix="bench-spike-"))
    env = _env(url, folder)
    server = consumer = None
    try:
        _database_create(url)
        started = time.perf_counter()
        _pathways(["migrate", "-v0", "--noinput"], env)
        _pathways(["collectstatic", "-v0", "--noinput"], env)
        password = secrets.token_urlsafe(18)
        setup = _worker_json(["--setup", json.dumps({"bids": BIDS, "late": LATE, "password": password})], env)
        figures["setup_seconds"] = round(time.perf_counter() - started, 1)
        figures["postgresql"] = setup["postgresql"]
        port = _free_port()
        server = _gunicorn(env, port, folder)
        consumer = _started(["-m", "pathways.cli", "run_huey", "--quiet"], env, folder / "huey.log",
                            executable=sys.executable)
        site = Site(port)
        _wait_until_up(site, server)

        # Late bidders prepare complete drafts and open the confirmation page, before the spike.
        late = [Bidder(site, row, password, n) for n, row in enumerate(setup["late"])]
        with ThreadPoolExecutor(max_workers=max(1, min(LATE, 10))) as pool:
            list(pool.map(lambda bidder: bidder.prepare_late(setup), late))

        # The spike: the deadline WINDOW_SECONDS from now; bidders arrive over SPREAD_SECONDS.
        spike = Spike(site, setup, password, 0.0)
        figures["sign_in_in_spike"] = SIGN_IN_IN_SPIKE
        if not SIGN_IN_IN_SPIKE:
            figures["signed_in_before"] = spike.sign_in_all()
        spike_start = spike.start = time.time()
        deadline = datetime.fromtimestamp(spike_start, UTC) + timedelta(seconds=WINDOW_SECONDS)
        deadline = deadline.replace(microsecond=0) + timedelta(seconds=1)
        _deadline_set(url, setup["opportunity"], deadline)
        figures["load_average_at_spike"] = [round(x, 2) for x in os.getloadavg()]
        cpu_before, clients_before = _cpu_times(), time.process_time()
        server_before = _process_tree_cpu(server.pid)
        results = spike.run()
        spike_seconds = time.time() - spike_start
        for error, count in sorted(_errors(results).items()):
            print(f"{count} × {error}", file=sys.stderr, flush=True)
        cpu_after, clients_after = _cpu_times(), time.process_time()
        server_after = _process_tree_cpu(server.pid)
        figures["load_average_after_spike"] = [round(x, 2) for x in os.getloadavg()]

        # One second after the deadline the late bidders press submit; one more tries an upload.
        wait = deadline.timestamp() + 1 - time.time()
        if wait > 0:
            time.sleep(wait)
        with ThreadPoolExecutor(max_workers=max(1, min(LATE, 10))) as pool:
            late_results = list(pool.map(lambda bidder: bidder.submit_late(), late))
        late_upload = late[0].upload_late() if late else None

        server_log = _stopped(server)
        server = None
        # Each accepted bid's receipt goes to its manager and to its organisation's address.
        _wait_for_log(consumer.log_path, "Subject: Receipt for your bid",
                      2 * sum(1 for r in results if r["accepted"]), timeout=120)
        consumer_log = _stopped(consumer)
        consumer = None
        expected = {r["bid"]: {"sha256": r.get("sha256"), "receipt": r.get("receipt")} for r in results if r["accepted"]}
        expected_file = folder / "expected.json"
        expected_file.write_text(json.dumps({
            "opportunity": setup["opportunity"], "deadline": deadline.isoformat(), "bids": expected,
            "late": [r["bid"] for r in late_results if r.get("bid")], "media": str(folder / "media"),
        }))
        checks = _worker_json(["--verify", str(expected_file)], env)
        figures.update(_summary(results, spike_seconds, deadline, spike_start))
        figures["late_results"] = late_results
        figures["late_upload"] = late_upload
        figures["checks"] = checks
        figures["receipt_emails_logged"] = consumer_log.count("Subject: Receipt for your bid")
        figures["server_errors_logged"] = len(re.findall(r"Traceback|\[ERROR\]|CRITICAL", server_log + consumer_log))
        figures["cpu"] = _cpu_used(cpu_before, cpu_after)
        figures["cpu"]["gunicorn_seconds"] = round(server_after - server_before, 1)
        figures["cpu"]["clients_seconds"] = round(clients_after - clients_before, 1)
    finally:
        for process in (server, consumer):
            if process is not None:
                _stopped(process)
        shutil.rmtree(folder, ignore_errors=True)
        if not KEEP_DATABASE:
            _database_drop(url)
    figures["database_kept"] = KEEP_DATABASE
    figures["database"] = url.rsplit("/", 1)[1]
    return figures


def _env(database_url: str, folder: Path) -> dict:
    # Production settings, with what production demands made for the run. No TLS: see the module's notes.
    return {
        **os.environ, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "pathways.settings",
        "PATHWAYS_ENV": "production", "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48), "BID_SEALING_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false",
        "PATHWAYS_VAR_DIR": str(folder), "MEDIA_ROOT": str(folder / "media"), "STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": database_url, "EMAIL_URL": "consolemail://", "LOG_LEVEL": "WARNING",
        "SITE_URL": "https://127.0.0.1",
    }


def _database_create(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _database_drop(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as error:  # the figures matter more than the tidying
        print(f"Could not drop the database {name}: {error}", file=sys.stderr)


def _deadline_set(url: str, opportunity_uuid: str, deadline: datetime) -> None:
    """Move the opportunity's deadline to the end of the spike's window (published with a later one)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        done = connection.execute("UPDATE commissioning_opportunity SET deadline = %s WHERE uuid = %s",
                                  (deadline, opportunity_uuid))
        if done.rowcount != 1:
            raise RuntimeError("The opportunity was not found to set its deadline")


def _pathways(args: list[str], env: dict) -> str:
    result = subprocess.run([sys.executable, "-m", "pathways.cli", *args], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"pathways {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result.stdout


def _worker_json(args: list[str], env: dict) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.deadline_spike", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"bench.deadline_spike {args[0]} failed:\n{done.stderr[-5000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(env: dict, port: int, folder: Path) -> subprocess.Popen:
    return _started([
        "pathways.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
        "--workers", str(GUNICORN_WORKERS), "--threads", str(GUNICORN_THREADS),
        "--timeout", "120", "--graceful-timeout", "30", "--worker-tmp-dir", "/dev/shm",
        "--forwarded-allow-ips", "127.0.0.1",
    ], env, folder / "gunicorn.log", executable=str(Path(sys.executable).parent / "gunicorn"))


def _started(args: list[str], env: dict, log_path: Path, *, executable: str) -> subprocess.Popen:
    """A server process in its own session, its output in ``log_path``."""
    log = open(log_path, "wb")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen([executable, *args], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    process.log_file = log
    process.log_path = log_path
    return process


def _wait_for_log(path: Path, text: str, count: int, *, timeout: float) -> None:
    """Wait until ``text`` is in the log ``count`` times, or it has not grown for 10 s, or ``timeout``."""
    give_up, seen, last_change = time.time() + timeout, -1, time.time()
    while time.time() < give_up:
        try:
            found = path.read_text(errors="replace").count(text)
        except OSError:
            found = 0
        if found >= count:
            return
        if found != seen:
            seen, last_change = found, time.time()
        elif time.time() - last_change > 10:
            return
        time.sleep(0.5)


def _stopped(process: subprocess.Popen, *, grace: float = 40) -> str:
    """Stop a process started by ``_started`` (SIGTERM, then SIGKILL after ``grace`` seconds); its log."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log_file.close()
    try:
        return process.log_path.read_text(errors="replace")
    except OSError:
        return ""


def _wait_until_up(site, server) -> None:
    for _attempt in range(120):
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            status, _headers, _body = Browser(site).request("GET", "/sign-in/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within a minute")


def _cpu_times() -> list[int]:
    with open("/proc/stat") as handle:
        return [int(x) for x in handle.readline().split()[1:]]


def _cpu_used(before: list[int], after: list[int]) -> dict:
    delta = [b - a for a, b in zip(before, after, strict=False)]
    total = sum(delta) or 1
    idle = delta[3] + delta[4]  # idle + iowait
    ticks = os.sysconf("SC_CLK_TCK")
    return {"busy_percent": round(100 * (total - idle) / total, 1), "iowait_percent": round(100 * delta[4] / total, 1),
            "busy_seconds": round((total - idle) / ticks, 1), "available_seconds": round(total / ticks, 1)}


def _process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children that are still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent's pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# The clients ------------------------------------------------------------------------------------------------

class Site:
    def __init__(self, port: int):
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.origin = f"https://{self.host}"  # what the browser sees, behind the TLS proxy


class Browser:
    """One person's browser: cookies (HTTPS-only ones included, as the proxy is HTTPS), CSRF tokens, timings."""

    def __init__(self, site: Site):
        self.site = site
        self.cookies: dict[str, str] = {}
        self.timings: list[tuple[str, float, int]] = []

    def request(self, method, path, body=None, content_type=None, kind=None):
        headers = {"Host": self.site.host, "X-Forwarded-Proto": "https", "Connection": "close",
                   "User-Agent": "pathways-bench-deadline-spike", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.site.origin
            headers["Referer"] = self.site.origin + path
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.site.port, timeout=300)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            name, _, value = pair.partition("=")
            if "max-age=0" in header.lower() or "01 jan 1970" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        if kind:
            self.timings.append((kind, seconds, response.status))
        return response.status, response, data.decode("utf-8", "replace")

    def get(self, path, kind=None):
        return self.request("GET", path, kind=kind)

    def post(self, path, fields: dict, kind=None):
        return self.request("POST", path, body=urlencode(fields).encode(), kind=kind)

    def post_file(self, path, fields: dict, name: str, data: bytes, kind=None):
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode())
        body = b"".join([*parts, data, f"\r\n--{boundary}--\r\n".encode()])
        return self.request("POST", path, body=body, content_type=f"multipart/form-data; boundary={boundary}",
                            kind=kind)


class Refused(Exception):
    """A step did not go as a person would expect."""


def _token(page: str) -> str:
    found = CSRF_PATTERN.search(page)
    if not found:
        raise Refused("no CSRF token on the page")
    return found.group(1)


def _location(response) -> str:
    return urlsplit(response.getheader("Location") or "").path


def _attachment(number: int) -> bytes:
    size = int(ATTACHMENT_MB * 1024 * 1024)
    head = f"%PDF-1.7\n% bench bid {number}\n".encode()
    tail = b"\n%%EOF\n"
    return head + os.urandom(size - len(head) - len(tail)) + tail


class Bidder:
    """A manager of a bidding organisation, going through the pages."""

    def __init__(self, site: Site, row: dict, password: str, number: int):
        self.site, self.row, self.password, self.number = site, row, password, number
        self.browser = Browser(site)
        self.bid = None
        self.signed_in = False

    def _expect(self, status, response, want, step):
        if status != want:
            raise Refused(f"{step}: HTTP {status} {_location(response)}")

    def sign_in(self) -> None:
        b = self.browser
        status, response, page = b.get("/sign-in/", kind="GET sign-in")
        self._expect(status, response, 200, "sign-in page")
        status, response, page = b.post("/sign-in/", {"csrfmiddlewaretoken": _token(page), "username":
                                                      self.row["email"], "password": self.password},
                                        kind="POST sign-in")
        self._expect(status, response, 302, "sign-in")
        self.signed_in = True

    def draft(self, setup: dict) -> None:
        """Sign in (unless signed in already), start the bid, answer the section and give the price."""
        b = self.browser
        if not self.signed_in:
            self.sign_in()
        opportunity = f"/opportunities/{setup['opportunity']}/"
        status, response, page = b.get(opportunity, kind="GET opportunity")
        self._expect(status, response, 200, "opportunity page")
        status, response, page = b.post(f"{opportunity}bid/start/", {
            "csrfmiddlewaretoken": _token(page), "organisation": self.row["slug"]}, kind="POST start bid")
        self._expect(status, response, 302, "start bid")
        found = BID_PATTERN.search(_location(response))
        if not found:
            raise Refused(f"start bid: went to {_location(response)}")
        self.bid = found.group(1)
        status, response, page = b.get(f"/opportunities/bids/{self.bid}/edit/", kind="GET draft form")
        self._expect(status, response, 200, "draft form")
        fields = {"csrfmiddlewaretoken": _token(page), "price": str(300_000 + self.number)}
        for name in SECTION_PATTERN.findall(page):
            fields[name] = ANSWER
        status, response, page = b.post(f"/opportunities/bids/{self.bid}/edit/", fields, kind="POST draft")
        self._expect(status, response, 302, "save draft")
        status, response, self.bid_page = b.get(f"/opportunities/bids/{self.bid}/", kind="GET bid page")
        self._expect(status, response, 200, "bid page")

    def upload(self, data: bytes) -> float:
        b = self.browser
        status, response, _page = b.post_file(
            f"/opportunities/bids/{self.bid}/attachments/", {"csrfmiddlewaretoken": _token(self.bid_page)},
            f"delivery-plan-{self.number}.pdf", data, kind="POST attachment")
        seconds = b.timings[-1][1]
        self._expect(status, response, 302, "upload attachment")
        status, response, self.bid_page = b.get(f"/opportunities/bids/{self.bid}/", kind="GET bid page")
        self._expect(status, response, 200, "bid page after upload")
        return seconds

    def open_confirmation(self) -> None:
        status, response, self.confirm_page = self.browser.get(f"/opportunities/bids/{self.bid}/submit/",
                                                               kind="GET submit page")
        self._expect(status, response, 200, "submit page")

    def submit(self) -> tuple[int, object, str, float]:
        b = self.browser
        status, response, page = b.post(f"/opportunities/bids/{self.bid}/submit/",
                                        {"csrfmiddlewaretoken": _token(self.confirm_page)}, kind="POST submit")
        return status, response, page, b.timings[-1][1]

    # In the spike: everything, submission timed
    def go(self, setup: dict) -> dict:
        result = {"number": self.number, "bid": None, "ok": False, "accepted": False}
        try:
            self.draft(setup)
            result["bid"] = self.bid
            data = _attachment(self.number)
            result["sha256"] = hashlib.sha256(data).hexdigest()
            upload_seconds = self.upload(data)
            del data
            self.open_confirmation()
            status, response, _page, submit_seconds = self.submit()
            result["upload_seconds"], result["submit_seconds"] = upload_seconds, submit_seconds
            result["submission_seconds"] = upload_seconds + submit_seconds
            result["submitted_at"] = time.time()
            self._expect(status, response, 302, "submit")
            result["accepted"] = True
            status, response, page = self.browser.get(f"/opportunities/bids/{self.bid}/receipt/",
                                                      kind="GET receipt")
            self._expect(status, response, 200, "receipt")
            found = HASH_PATTERN.search(page)
            result["receipt"] = found.group(1) if found else None
            result["ok"] = found is not None
            if not found:
                result["error"] = "no content hash on the receipt"
        except (Refused, OSError, http.client.HTTPException) as error:
            result["error"] = f"{type(error).__name__}: {error}"
        result["timings"] = self.browser.timings
        return result

    # Before the spike: a complete draft with its attachment, the confirmation page open
    def prepare_late(self, setup: dict) -> None:
        self.draft(setup)
        self.upload(_attachment(self.number))
        self.open_confirmation()

    # One second after the deadline
    def submit_late(self) -> dict:
        pressed = datetime.now(UTC).isoformat()
        status, response, page, _seconds = self.submit()
        refused = status == 200 and "deadline" in page and "govuk-error-summary" in page
        return {"bid": self.bid, "pressed_at": pressed, "status": status, "to": _location(response),
                "refused_with_message": refused}

    def upload_late(self) -> dict:
        status, response, page = self.browser.post_file(
            f"/opportunities/bids/{self.bid}/attachments/", {"csrfmiddlewaretoken": _token(self.bid_page)},
            "too-late.pdf", _attachment(self.number)[: 64 * 1024])
        return {"status": status, "refused_with_message": status == 200 and "deadline" in page}


class Spike:
    """The bidders, each starting at its drawn moment, at most CONCURRENCY at once."""

    def __init__(self, site, setup, password, start):
        self.site, self.setup, self.password, self.start = site, setup, password, start
        rng = random.Random(SEED)
        self.offsets = sorted(rng.uniform(0, SPREAD_SECONDS) for _ in range(len(setup["bidders"])))
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()
        self.bidders = [Bidder(site, row, password, number) for number, row in enumerate(setup["bidders"])]

    def sign_in_all(self) -> dict:
        """Every bidder signs in, before the spike, at most CONCURRENCY at once: their timings, kept apart."""
        started = time.time()

        def one(bidder):
            try:
                bidder.sign_in()
            except (Refused, OSError, http.client.HTTPException):
                pass  # signs in again in the spike, and any failure is reported there
            timings, bidder.browser.timings = bidder.browser.timings, []
            return timings

        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            timings = [t for batch in pool.map(one, self.bidders) for t in batch]
        sign_ins = [seconds for kind, seconds, _status in timings if kind == "POST sign-in"]
        return {"count": sum(1 for bidder in self.bidders if bidder.signed_in), "seconds": round(time.time() - started, 1),
                "p50": round(statistics.median(sign_ins), 3) if sign_ins else None,
                "p95": round(_percentile(sign_ins, 95), 3) if sign_ins else None}

    def _one(self, number: int) -> dict:
        due = self.start + self.offsets[number]
        lag = max(0.0, time.time() - due)
        if lag == 0:
            time.sleep(max(0.0, due - time.time()))
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        started = time.time()
        try:
            result = self.bidders[number].go(self.setup)
        finally:
            with self.lock:
                self.in_flight -= 1
        result["lag_seconds"] = lag
        result["started_at"], result["finished_at"] = started, time.time()
        return result

    def run(self) -> list[dict]:
        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            results = list(pool.map(self._one, range(len(self.setup["bidders"]))))
        for result in results:
            result["peak_in_flight"] = self.peak
        return results


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]


def _errors(results: list[dict]) -> dict:
    errors = defaultdict(int)
    for r in results:
        if not r["ok"]:
            errors[r.get("error", "unknown")[:200]] += 1
    return dict(errors)


def _summary(results: list[dict], spike_seconds: float, deadline: datetime, spike_start: float) -> dict:
    done = [r for r in results if r["ok"]]
    submissions = [r["submission_seconds"] for r in results if "submission_seconds" in r]
    errors = _errors(results)
    kinds = defaultdict(list)
    statuses = defaultdict(lambda: defaultdict(int))
    for r in results:
        for kind, seconds, status in r["timings"]:
            kinds[kind].append(seconds)
            statuses[kind][status] += 1
    requests = {
        kind: {"count": len(values), "p50": round(statistics.median(values), 3),
               "p95": round(_percentile(values, 95), 3), "max": round(max(values), 3),
               "statuses": dict(statuses[kind])}
        for kind, values in kinds.items()
    }
    last_submission = max((r["submitted_at"] for r in done), default=spike_start)
    first_start = min((r["started_at"] for r in results), default=spike_start)

    def stats(values):
        return {"p50": round(statistics.median(values), 3), "p95": round(_percentile(values, 95), 3),
                "max": round(max(values), 3), "mean": round(statistics.mean(values), 3)} if values else {}

    return {
        "receipts": len(done),
        "accepted": sum(1 for r in results if r["accepted"]),
        "failed": len(results) - len(done),
        "errors": dict(errors),
        "submission": stats(submissions),
        "upload": stats([r["upload_seconds"] for r in results if "upload_seconds" in r]),
        "submit": stats([r["submit_seconds"] for r in results if "submit_seconds" in r]),
        "flow": stats([r["finished_at"] - r["started_at"] for r in results]),
        "requests": requests,
        "peak_in_flight": results[0]["peak_in_flight"] if results else 0,
        "lagged_starts": sum(1 for r in results if r["lag_seconds"] > 1.0),
        "max_lag_seconds": round(max((r["lag_seconds"] for r in results), default=0.0), 1),
        "spike_seconds": round(spike_seconds, 1),
        "first_to_last_submission_seconds": round(last_submission - first_start, 1),
        "last_submission_before_deadline_seconds": round(deadline.timestamp() - last_submission, 1),
        "throughput_per_minute": round(len(done) / max(1e-9, (last_submission - first_start)) * 60, 1),
        "megabytes_uploaded": round(len(submissions) * ATTACHMENT_MB, 1),
    }


# The workers: in a process with the run's production settings -----------------------------------------------

def _django():
    import django

    django.setup()


def setup(options: dict) -> dict:
    _django()
    return build(options)


def build(options: dict) -> dict:
    """The buyer, its commissioner, the opportunity and the bidders, created fast."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from pathways.commissioning.models import PriceFormula
    from pathways.commissioning.services import opportunities as services
    from pathways.organisations.models import Membership, Organisation, OrganisationType, Place, PlaceKind, Role, User
    from pathways.taxonomy.models import Term

    hashed = make_password(options["password"])  # Django's default hasher, once: each sign-in checks it in full
    charity, manager = OrganisationType.objects.get(code="charity"), Role.objects.get(code="manager")
    now = timezone.now()
    with transaction.atomic():
        region = Place.objects.create(name="Bench Region", kind=PlaceKind.REGION)
        area = Place.objects.create(name="Bench City", kind=PlaceKind.LOCAL_AUTHORITY, parent=region)
        buyer = Organisation.objects.create(name="Bench Probation", slug="bench-probation",
                                            type=OrganisationType.objects.get(code="probation-region"),
                                            email="commissioning@probation.example")
        commissioner = User.objects.create(email="commissioner@probation.example", full_name="Cara Commissioner",
                                           password=hashed)
        Membership.objects.create(user=commissioner, organisation=buyer, role=Role.objects.get(code="commissioner"))
        total = options["bids"] + options["late"]
        organisations = Organisation.objects.bulk_create([
            Organisation(name=f"Bench Bidder {n:04d}", slug=f"bench-bidder-{n:04d}", type=charity,
                         email=f"office@bidder{n:04d}.example") for n in range(total)
        ], batch_size=500)
        users = User.objects.bulk_create([
            User(email=f"bids@bidder{n:04d}.example", full_name=f"Manager {n:04d}", password=hashed)
            for n in range(total)
        ], batch_size=500)
        Membership.objects.bulk_create([
            Membership(user=user, organisation=organisation, role=manager, started_at=now)
            for user, organisation in zip(users, organisations, strict=True)
        ], batch_size=500)
    opportunity = services.opportunity_create(
        by=commissioner, buyer=buyer, terms=Term.objects.filter(code="pathway-accommodation"), areas=[area],
        title="Accommodation support for women leaving prison",
        summary="We want help for women to find and keep a home after prison. The work is in the city.",
        procedure="open", value_minimum=300_000, value_maximum=450_000, duration_months=36,
        engagement_closes_at=now + timedelta(days=1), clarifications_close_at=now + timedelta(days=2),
        deadline=now + timedelta(days=3), award_expected_on=(now + timedelta(days=30)).date(),
        contract_starts_on=(now + timedelta(days=60)).date(), payment_by_results_percent=0,
    )
    services.criterion_add(opportunity=opportunity, by=commissioner, title="Quality of support", weight=60,
                           guidance="How you will help women keep their homes.", word_limit=500)
    services.criterion_add(opportunity=opportunity, by=commissioner, title="Price", weight=40, is_price=True,
                           price_formula=PriceFormula.LOWEST_RATIO)
    services.opportunity_publish(opportunity=opportunity, by=commissioner, open_for_bids=True,
                                 acknowledged=["insurance", "turnover", "accreditations", "payment_by_results",
                                               "time_to_bid"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    rows = [{"email": user.email, "slug": organisation.slug} for user, organisation in zip(users, organisations,
                                                                                            strict=True)]
    return {"opportunity": str(opportunity.uuid), "bidders": rows[: options["bids"]], "late": rows[options["bids"]:],
            "postgresql": version}


def verify(path: str) -> dict:
    _django()
    return check(json.loads(Path(path).read_text()))


def check(expected: dict) -> dict:
    """After the deadline: what the database and the disk hold, then open the bids and check every attachment."""
    from django.db import connection

    from pathways.commissioning import sealing
    from pathways.commissioning.models import Bid, BidAttachment, BidStatus, Opportunity
    from pathways.commissioning.services import bid_format
    from pathways.commissioning.services import bids as bid_services
    from pathways.organisations.models import User

    deadline = datetime.fromisoformat(expected["deadline"])
    opportunity = Opportunity.objects.get(uuid=expected["opportunity"])
    bids = list(Bid.objects.filter(opportunity=opportunity).select_related("opportunity"))
    by_status = defaultdict(int)
    for bid in bids:
        by_status[bid.status] += 1
    submitted = [bid for bid in bids if bid.status == BidStatus.SUBMITTED]
    problems = []
    late_submitted = [str(bid.uuid) for bid in submitted if bid.submitted_at >= deadline]
    wanted = expected["bids"]
    found = {str(bid.uuid) for bid in submitted}
    missing = sorted(set(wanted) - found)
    unexpected = sorted(found - set(wanted))
    receipt_mismatch = [str(bid.uuid) for bid in submitted
                        if str(bid.uuid) in wanted and wanted[str(bid.uuid)]["receipt"] != bid.receipt_hash]
    late_still_draft = sum(1 for bid in bids if str(bid.uuid) in expected["late"] and bid.status == BidStatus.DRAFT)
    media = Path(expected["media"])
    attachments = list(BidAttachment.objects.filter(bid__in=submitted).select_related("bid"))
    per_bid = defaultdict(int)
    for attachment in attachments:
        per_bid[attachment.bid_id] += 1
        if not attachment.file.name.endswith(".sealed"):
            problems.append(f"attachment {attachment.uuid} is not sealed: {attachment.file.name}")
        elif not (media / attachment.file.name).exists():
            problems.append(f"attachment {attachment.uuid} has no file on disk")
    without_one = sum(1 for bid in submitted if per_bid[bid.pk] != 1)
    files = [p for p in media.rglob("*") if p.is_file()]
    draft_files = [p for p in files if p.name.endswith(".draft")]
    pdf_files = []
    for p in files:
        with open(p, "rb") as handle:
            if handle.read(5) == b"%PDF-":
                pdf_files.append(p)
    referenced_drafts = set(BidAttachment.objects.filter(bid__status=BidStatus.DRAFT).values_list("file", flat=True))
    stray_plaintext = [p for p in draft_files if str(p.relative_to(media)) not in referenced_drafts]
    disk_bytes = sum(p.stat().st_size for p in files)
    database_bytes = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            database_bytes = cursor.fetchone()[0]

    # Open the bids, as the commissioner, and check every attachment against what its bidder sent.
    commissioner = User.objects.get(email="commissioner@probation.example")
    started = time.perf_counter()
    bid_services.bids_open(opportunity=opportunity, by=commissioner)
    opened_seconds = time.perf_counter() - started
    opportunity.refresh_from_db()
    private_key = sealing.private_key_release(
        opportunity_id=str(opportunity.uuid), wrapped_private_key=bytes(opportunity.sealing_private_key),
        deadline=opportunity.deadline)
    started = time.perf_counter()
    matched = 0
    for attachment in attachments:
        with attachment.file.open("rb") as handle:
            data = sealing.unseal(private_key=private_key, sealed=handle.read(),
                                  context=bid_format.attachment_context(attachment))
        if hashlib.sha256(data).hexdigest() == wanted.get(str(attachment.bid.uuid), {}).get("sha256"):
            matched += 1
    unsealed_seconds = time.perf_counter() - started
    return {
        "by_status": dict(by_status), "submitted": len(submitted), "missing": missing[:20], "missing_count": len(missing),
        "unexpected": unexpected[:20], "submitted_after_deadline": late_submitted,
        "receipt_mismatches": len(receipt_mismatch), "late_still_draft": late_still_draft,
        "attachments_sealed": len(attachments), "bids_without_exactly_one_attachment": without_one,
        "attachments_matching_what_was_sent": matched, "problems": problems[:20],
        "draft_files_on_disk": len(draft_files), "draft_files_of_unsubmitted_drafts": len(draft_files) - len(stray_plaintext),
        "stray_plaintext_files": len(stray_plaintext), "pdf_plaintext_files": len(pdf_files),
        "media_bytes": disk_bytes, "database_bytes": database_bytes,
        "open_seconds": round(opened_seconds, 1), "unseal_seconds": round(unsealed_seconds, 1),
        "sealed_size_expected": int(ATTACHMENT_MB * 1024 * 1024) + SEALED_OVERHEAD,
    }


# The report ------------------------------------------------------------------------------------------------

def report(figures: dict) -> str:
    m, c = figures["machine"], figures["checks"]
    s = figures["submission"]
    late = figures["late_results"]
    late_refused = sum(1 for r in late if r["refused_with_message"])
    drafts_of_late = c["draft_files_of_unsubmitted_drafts"]
    within = figures["first_to_last_submission_seconds"] <= TARGET_WINDOW_SECONDS
    accepted = figures["accepted"]
    none_lost = (c["submitted"] == accepted and c["missing_count"] == 0 and not c["unexpected"]
                 and c["attachments_matching_what_was_sent"] == accepted and c["receipt_mismatches"] == 0
                 and figures["receipts"] == accepted)
    none_late = (not c["submitted_after_deadline"] and late_refused == len(late)
                 and c["late_still_draft"] == len(late)
                 and (figures["late_upload"] is None or figures["late_upload"]["refused_with_message"]))
    p95_ok = bool(s) and s["p95"] <= TARGET_P95_SECONDS
    yes = lambda ok: "yes" if ok else "**no**"  # noqa: E731
    g = figures["gunicorn"]
    r = figures["requests"]
    lines = [
        f"{figures['bids']:,} bids, each with a {figures['attachment_mb']:g} MB attachment, submitted through "
        f"gunicorn ({g['workers']} {g['worker_class']} workers × {g['threads']} threads, production settings) and "
        f"PostgreSQL {figures['postgresql']}, by simulated bidders going through the pages from "
        + ("sign-in to receipt. " if figures["sign_in_in_spike"] else
           "the opportunity to receipt, signed in before the spike as they would be while writing their bids "
           f"({figures['signed_in_before']['count']:,} sign-ins in {figures['signed_in_before']['seconds']:,} s, "
           f"p50 {figures['signed_in_before']['p50']} s, p95 {figures['signed_in_before']['p95']} s, not counted "
           "below). ")
        + f"The deadline was {figures['window_seconds']:g} s after the spike began; bidders started at random over "
        f"the first {figures['spread_seconds']:g} s, at most {figures['concurrency']} at once "
        f"(peak in flight {figures['peak_in_flight']}). *Submission time* is the attachment upload (POST, "
        f"{figures['attachment_mb']:g} MB multipart) plus the submit (POST, which seals the bid and its attachment), "
        "each from sending the request to reading the whole response.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}, Python {m['python']}; load "
        f"average at the start {', '.join(map(str, m['load_average']))}, as the spike began "
        f"{', '.join(map(str, figures['load_average_at_spike']))}, at its end "
        f"{', '.join(map(str, figures['load_average_after_spike']))}; the clients ran on the same machine. CPU busy "
        f"during the spike {figures['cpu']['busy_percent']}% (I/O wait {figures['cpu']['iowait_percent']}%).",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| {figures['bids']:,} submissions within 10 minutes | {figures['receipts']:,} receipts; first bidder's "
        f"start to last submission {figures['first_to_last_submission_seconds']:,} s "
        f"({figures['throughput_per_minute']:,} a minute) | {yes(within and figures['receipts'] == figures['bids'])} |",
        f"| none lost | {accepted:,} submissions accepted (the submit answered with the receipt page); "
        f"{c['submitted']:,} submitted bids in the database, {c['missing_count']} of the accepted missing, "
        f"{len(c['unexpected'])} submitted that the bidder was not told of, "
        f"{c['receipt_mismatches']} receipt hashes differing; {c['attachments_sealed']:,} sealed attachments, "
        f"{c['attachments_matching_what_was_sent']:,} unsealing to exactly what was sent | {yes(none_lost)} |",
        f"| none accepted after the deadline | {late_refused} of {len(late)} submits 1 s after the deadline refused "
        f"with the message, {c['late_still_draft']} still drafts; upload after the deadline "
        f"{'refused' if figures['late_upload'] and figures['late_upload']['refused_with_message'] else 'NOT refused'}; "
        f"{len(c['submitted_after_deadline'])} bids with a submission time at or after it | {yes(none_late)} |",
        f"| p95 submission time ≤ {TARGET_P95_SECONDS:g} s | p50 {s.get('p50')} s, p95 {s.get('p95')} s, "
        f"max {s.get('max')} s | {yes(p95_ok)} |",
        "",
        "| request | count | p50 s | p95 s | max s |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind in ("GET sign-in", "POST sign-in", "GET opportunity", "POST start bid", "GET draft form", "POST draft",
                 "GET bid page", "POST attachment", "GET submit page", "POST submit", "GET receipt"):
        if kind in r:
            lines.append(f"| {kind} | {r[kind]['count']:,} | {r[kind]['p50']} | {r[kind]['p95']} | {r[kind]['max']} |")
    flow = figures["flow"]
    notes = [
        f"Errors: {figures['failed']} bidders did not get a receipt"
        + (f" ({'; '.join(f'{k}: {v}' for k, v in figures['errors'].items())})" if figures["errors"] else "")
        + f"; {figures['server_errors_logged']} errors in the logs of gunicorn and the job consumer; "
        f"{figures['receipt_emails_logged']:,} receipt emails sent by the job consumer (console backend; one to the "
        "manager and one to the organisation's address, each).",
        ("A whole bidder, sign-in to receipt (11 requests)" if figures["sign_in_in_spike"] else
         "A whole bidder in the spike, opportunity page to receipt (9 requests)")
        + f": p50 {flow.get('p50')} s, p95 {flow.get('p95')} s. "
        f"Starts delayed over 1 s by the concurrency limit: {figures['lagged_starts']} (longest "
        f"{figures['max_lag_seconds']} s). The last accepted submission's response came "
        + (f"{figures['last_submission_before_deadline_seconds']} s before the deadline"
           if figures["last_submission_before_deadline_seconds"] >= 0 else
           f"{-figures['last_submission_before_deadline_seconds']} s after the deadline (the server had recorded it "
           "before)")
        + f"; the spike took {figures['spike_seconds']:,} s, CPU: gunicorn {figures['cpu'].get('gunicorn_seconds')} s, "
        f"the clients {figures['cpu'].get('clients_seconds')} s, of {figures['cpu'].get('busy_seconds')} CPU-seconds "
        f"busy out of {figures['cpu'].get('available_seconds')} (the rest: PostgreSQL and other work on the machine).",
        f"Plaintext left on disk: {c['stray_plaintext_files']} stray draft files; {c['pdf_plaintext_files']} files "
        f"starting `%PDF`, all {drafts_of_late} of them attachments of drafts never submitted (the late bidders', "
        "and any refused at the deadline mid-way), which stay drafts: a draft's attachment is kept as uploaded "
        "until it is submitted or deleted."
        if c["pdf_plaintext_files"] == drafts_of_late else
        f"Plaintext left on disk: **{c['pdf_plaintext_files'] - drafts_of_late} files starting `%PDF` beyond the "
        f"{drafts_of_late} late drafts' own**; {c['stray_plaintext_files']} stray draft files.",
        f"Disk: {c['media_bytes'] / 2**30:.2f} GiB of media ({c['attachments_sealed']:,} sealed files of "
        f"{c['sealed_size_expected']:,} bytes, plus the late drafts'); database {c['database_bytes'] / 2**20:,.0f} MiB. "
        f"Opening the bids after the deadline took {c['open_seconds']} s; unsealing and checking every attachment "
        f"{c['unseal_seconds']} s.",
        f"Setup (migrate, collectstatic, {figures['bids'] + figures['late']:,} organisations and managers, the "
        f"opportunity) {figures['setup_seconds']} s. Media deleted afterwards; database "
        f"`{figures['database']}` {'kept for inspection' if figures['database_kept'] else 'dropped'}.",
    ]
    return "\n".join(lines + [""] + [f"- {note}" for note in notes])


if __name__ == "__main__":
    if "--setup" in sys.argv:
        print(json.dumps(setup(json.loads(sys.argv[sys.argv.index("--setup") + 1]))))
    elif "--verify" in sys.argv:
        print(json.dumps(verify(sys.argv[sys.argv.index("--verify") + 1])))
    else:
        figures = run()
        print(report(figures))
