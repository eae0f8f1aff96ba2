"""The deadline-spike benchmark's pieces at a tiny scale: three bidders with 10 kB attachments going through the
real pages of a live server, late bidders refused one second after the deadline, and the checks that follow.
The full run (1,000 bids of 5 MB through gunicorn and PostgreSQL) is `python -m bench deadline_spike`."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bench import deadline_spike as spike
from pathways.commissioning.models import Bid, BidStatus, Opportunity
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tiny(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # As behind the TLS proxy the benchmark's clients stand in for.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setattr(spike, "ATTACHMENT_MB", 0.01)
    monkeypatch.setattr(spike, "SPREAD_SECONDS", 0.5)
    monkeypatch.setattr(spike, "CONCURRENCY", 1)  # the test database is in-memory SQLite by default
    return settings.MEDIA_ROOT


def test_three_bidders_submit_through_the_pages_and_late_ones_are_refused(tiny, live_server):
    built = spike.build({"bids": 3, "late": 1, "password": PASSWORD})
    site = spike.Site(int(live_server.url.rsplit(":", 1)[1]))
    late = [spike.Bidder(site, row, PASSWORD, 100 + n) for n, row in enumerate(built["late"])]
    for bidder in late:
        bidder.prepare_late(built)
    deadline = (timezone.now() + timedelta(minutes=10)).replace(microsecond=0)  # within the session's 30 minutes
    Opportunity.objects.filter(uuid=built["opportunity"]).update(deadline=deadline)

    bidders = spike.Spike(site, built, PASSWORD, 0.0)
    signed_in = bidders.sign_in_all()  # before the spike, as while writing the bids
    assert signed_in["count"] == 3 and signed_in["p95"] > 0
    started = bidders.start = spike.time.time()
    results = bidders.run()

    assert [r.get("error") for r in results] == [None, None, None]
    assert all(r["ok"] and len(r["receipt"]) == 64 for r in results)
    submitted = {str(uuid) for uuid in Bid.objects.filter(status=BidStatus.SUBMITTED).values_list("uuid", flat=True)}
    assert submitted == {r["bid"] for r in results}
    summary = spike._summary(results, 1.0, deadline, started)
    assert summary["receipts"] == 3 and summary["submission"]["p95"] > 0
    assert summary["requests"]["POST submit"]["statuses"] == {302: 3}
    assert "POST sign-in" not in summary["requests"]  # signed in before: not part of the spike

    with time_machine.travel(deadline + timedelta(seconds=1), tick=True):
        late_results = [bidder.submit_late() for bidder in late]
        late_upload = late[0].upload_late()
        checks = spike.check({
            "opportunity": built["opportunity"], "deadline": deadline.isoformat(),
            "bids": {r["bid"]: {"sha256": r["sha256"], "receipt": r["receipt"]} for r in results},
            "late": [r["bid"] for r in late_results], "media": str(tiny),
        })

    assert [r["refused_with_message"] for r in late_results] == [True]
    assert late_upload["refused_with_message"]
    assert checks["submitted"] == 3 and checks["missing_count"] == 0 and checks["receipt_mismatches"] == 0
    assert checks["submitted_after_deadline"] == [] and checks["late_still_draft"] == 1
    assert checks["attachments_sealed"] == 3 and checks["attachments_matching_what_was_sent"] == 3
    assert checks["bids_without_exactly_one_attachment"] == 0 and checks["problems"] == []
    # Only the refused late draft keeps a readable attachment; every submitted one is sealed.
    assert checks["stray_plaintext_files"] == 0 and checks["pdf_plaintext_files"] == 1
    assert checks["draft_files_of_unsubmitted_drafts"] == 1


def test_the_report_says_whether_each_target_is_met():
    figures = {
        "bids": 2, "late": 1, "attachment_mb": 5, "concurrency": 50, "window_seconds": 600, "spread_seconds": 540,
        "gunicorn": {"workers": 5, "threads": 4, "worker_class": "gthread"}, "postgresql": "15",
        "machine": {"cpu": "CPU", "cores": 2, "memory": "1 GiB", "os": "Linux", "python": "3.11",
                    "load_average": [1, 1, 1]},
        "load_average_at_spike": [1, 1, 1], "load_average_after_spike": [2, 2, 2],
        "cpu": {"busy_percent": 50.0, "iowait_percent": 0.0, "gunicorn_seconds": 1, "clients_seconds": 1,
                "busy_seconds": 2, "available_seconds": 4},
        "receipts": 2, "accepted": 2, "failed": 0, "errors": {}, "submission": {"p50": 0.5, "p95": 2.5, "max": 3.0},
        "flow": {"p50": 1, "p95": 2}, "requests": {"POST submit": {"count": 2, "p50": 0.1, "p95": 0.2, "max": 0.3}},
        "peak_in_flight": 2, "lagged_starts": 0, "max_lag_seconds": 0, "spike_seconds": 540,
        "first_to_last_submission_seconds": 530, "last_submission_before_deadline_seconds": 60,
        "throughput_per_minute": 0.2, "late_results": [{"refused_with_message": True}],
        "late_upload": {"refused_with_message": True}, "receipt_emails_logged": 4, "server_errors_logged": 0,
        "setup_seconds": 1, "database": "x", "database_kept": False, "sign_in_in_spike": False,
        "signed_in_before": {"count": 2, "seconds": 1.5, "p50": 0.6, "p95": 0.7},
        "checks": {"submitted": 2, "missing_count": 0, "unexpected": [], "receipt_mismatches": 0, "attachments_sealed": 2,
                   "attachments_matching_what_was_sent": 2, "submitted_after_deadline": [], "late_still_draft": 1,
                   "stray_plaintext_files": 0, "pdf_plaintext_files": 1, "draft_files_of_unsubmitted_drafts": 1,
                   "media_bytes": 0, "database_bytes": 0, "sealed_size_expected": 1, "open_seconds": 0,
                   "unseal_seconds": 0},
    }
    text = spike.report(figures)
    assert "| none lost |" in text and "| yes |" in text
    assert "p95 2.5 s" in text and "| **no** |" in text.split("p95 submission time")[1].splitlines()[0]
    assert "signed in before the spike" in text and "2 sign-ins in 1.5 s" in text
    assert "opportunity page to receipt (9 requests)" in text
