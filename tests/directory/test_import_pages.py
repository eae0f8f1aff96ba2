"""The import pages: template downloads, upload, preview with every problem, commit and outcome; for
anonymous visitors, people who may not import, other people's uploads, bad ids and the happy path."""

import csv
import io

import pytest
from django.urls import reverse

from pathways.directory.models import Service
from pathways.directory.services.spreadsheet_files import SpreadsheetImport
from pathways.jobs.models import Job

from .spreadsheets import HEADINGS, csv_bytes, good_row, media, places, prison, upload  # noqa: F401

pytestmark = pytest.mark.django_db

START = reverse("directory:import-start")


@pytest.fixture(autouse=True)
def _setting(media, places, prison):
    pass


def post_file(client, data, name="services.csv", **extra):
    return client.post(START, {"file": upload(data, name), **extra})


def uploaded(client, rows, **extra):
    response = post_file(client, csv_bytes(rows), **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    import_id = response.url.rstrip("/").rsplit("/", 1)[-1]
    return import_id, client.get(response.url)


def urls(import_id):
    return {
        "detail": ("get", reverse("directory:import", kwargs={"import_id": import_id})),
        "problems": ("get", reverse("directory:import-problems", kwargs={"import_id": import_id})),
        "commit": ("post", reverse("directory:import-commit", kwargs={"import_id": import_id})),
        "discard": ("post", reverse("directory:import-discard", kwargs={"import_id": import_id})),
    }


class TestWhoMayImport:
    @pytest.mark.parametrize("path", [START, "/directory/imports/template.csv",
                                      "/directory/imports/00000000-0000-0000-0000-000000000000/"])
    def test_given_an_anonymous_visitor_then_they_are_sent_to_sign_in(self, client, path):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(reverse("web:sign-in"))

    def test_given_an_anonymous_visitor_posting_then_they_are_sent_to_sign_in(self, client):
        response = post_file(client, csv_bytes([good_row()]))
        assert response.status_code == 302 and response.url.startswith(reverse("web:sign-in"))

    @pytest.mark.parametrize("path", [START, "/directory/imports/template.xlsx"])
    def test_given_a_worker_then_they_are_refused(self, client, worker, path):
        client.force_login(worker)
        assert client.get(path).status_code == 403

    def test_given_a_worker_posting_a_file_then_it_is_refused_and_not_kept(self, client, worker, media):
        client.force_login(worker)
        assert post_file(client, csv_bytes([good_row()])).status_code == 403
        assert not (media / "imports").exists() or not any((media / "imports").iterdir())

    def test_given_another_persons_upload_then_every_page_of_it_is_not_found(self, client, manager, other_manager):
        client.force_login(manager)
        import_id, _ = uploaded(client, [good_row(organisation="")])
        client.force_login(other_manager)
        for method, url in urls(import_id).values():
            assert getattr(client, method)(url).status_code == 404, url
        assert SpreadsheetImport.load(import_id) is not None

    def test_given_a_bad_id_then_it_is_not_found(self, client, curator):
        client.force_login(curator)
        for method, url in urls("00000000-0000-0000-0000-000000000000").values():
            assert getattr(client, method)(url).status_code == 404
        assert client.get("/directory/imports/template.pdf").status_code == 404


class TestTheTemplates:
    def test_the_start_page_offers_both_templates_and_explains_every_column(self, client, manager):
        client.force_login(manager)
        page = client.get(START).content.decode()
        assert "Download the Excel template (.xlsx)" in page and "Download the CSV template" in page
        assert "You can import services for Aire Valley Resettlement Trust." in page
        for heading in HEADINGS:
            assert f">{heading}" in page

    def test_the_csv_template_is_the_heading_row(self, client, curator):
        client.force_login(curator)
        response = client.get("/directory/imports/template.csv")
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="pathways-services-template.csv"' in response["Content-Disposition"]
        assert next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == HEADINGS

    def test_the_xlsx_template_lists_the_names_to_use(self, client, manager):
        from openpyxl import load_workbook

        client.force_login(manager)
        response = client.get("/directory/imports/template.xlsx")
        workbook = load_workbook(io.BytesIO(response.content))
        lists = {column[0].value: [cell.value for cell in column[1:] if cell.value]
                 for column in workbook["Lists"].iter_cols()}
        assert "Accommodation" in lists["Pathways"]
        assert {"Leeds (Local authority)", "Leeds (Probation delivery unit)", "HMP Leeds"} <= set(lists["Areas served"])
        assert lists["Organisation"] == ["Aire Valley Resettlement Trust"]
        assert lists["Funding kind"] == ["contracted", "pooled", "other", "no direct cost"]


class TestUploadPreviewAndCommit:
    def test_given_a_file_with_problems_then_the_preview_lists_each_by_row_and_column(self, client, curator, charity):
        client.force_login(curator)
        import_id, response = uploaded(client, [good_row(), good_row(external_id="AV-2", postcode="LS99 XX",
                                                                      minimum_age="old")])
        page = response.content.decode()
        assert "The file has 2 problems to correct" in page
        assert "Row 3, Postcode: &#x27;LS99 XX&#x27; is not a postcode" in page
        assert "Row 3, Minimum age: &#x27;old&#x27; is not a whole number from 0 to 120" in page
        assert "Import these services" not in page
        assert "Upload the corrected file" in page
        problems = client.get(urls(import_id)["problems"][1]).content.decode("utf-8-sig").splitlines()
        assert problems == ["Row,Column,Problem", "3,Minimum age,'old' is not a whole number from 0 to 120",
                            "3,Postcode,'LS99 XX' is not a postcode"]
        assert client.post(urls(import_id)["commit"][1]).status_code == 302
        assert Service.objects.count() == 0

    def test_given_a_corrected_file_then_it_replaces_the_first_and_imports(self, client, curator, charity):
        client.force_login(curator)
        first_id, _ = uploaded(client, [good_row(postcode="LS99 XX")])
        second_id, response = uploaded(client, [good_row(), good_row(external_id="AV-2", name="Second")],
                                       replaces=first_id)
        assert SpreadsheetImport.load(first_id) is None, "the corrected upload replaces the first"
        page = response.content.decode()
        assert "Check your import" in page and "Import these services" in page
        assert 'data-count="new">2<' in page

        response = client.post(urls(second_id)["commit"][1])
        assert response.status_code == 302 and response.url == urls(second_id)["detail"][1]
        page = client.get(response.url).content.decode()
        assert "Import finished" in page and "2 added, 0 updated, 0 unchanged" in page
        service = Service.objects.get(external_id="AV-2")
        assert reverse("directory:service", kwargs={"service_id": service.uuid}) in page

    def test_given_a_file_already_imported_then_the_preview_shows_what_changes_by_column(self, client, curator, charity):
        client.force_login(curator)
        import_id, _ = uploaded(client, [good_row()])
        client.post(urls(import_id)["commit"][1])
        _, response = uploaded(client, [good_row(name="Housing drop-in", phone="0113 496 0999")])
        page = response.content.decode()
        assert 'data-count="updated">1<' in page and 'data-count="new">0<' in page
        assert "Housing advice drop-in" in page and "0113 496 0999" in page and "Phone" in page

    def test_given_a_file_that_is_not_a_spreadsheet_then_the_form_says_so(self, client, manager):
        client.force_login(manager)
        response = post_file(client, b"%PDF-1.4", name="services.pdf")
        assert response.status_code == 200
        page = response.content.decode()
        assert "govuk-error-summary" in page
        assert "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)." in page

    def test_given_no_file_then_the_form_asks_for_one(self, client, manager):
        client.force_login(manager)
        page = client.post(START, {}).content.decode()
        assert "Choose a CSV or Excel file to upload" in page

    def test_given_a_large_file_then_the_person_is_sent_to_the_job_page(
        self, client, curator, charity, settings, django_capture_on_commit_callbacks
    ):
        settings.DIRECTORY_IMPORT_BACKGROUND_ROWS = 1
        client.force_login(curator)
        with django_capture_on_commit_callbacks(execute=True):
            response = post_file(client, csv_bytes([good_row(), good_row(external_id="AV-2")]))
        job = Job.objects.get()
        assert response.url == reverse("jobs:detail", kwargs={"job_id": job.pk})
        page = client.get(response.url).content.decode()
        assert "See what the import would change" in page
        preview = client.get(job.result["download_url"]).content.decode()
        assert 'data-count="new">2<' in preview

    def test_discarding_removes_the_upload(self, client, curator, charity):
        client.force_login(curator)
        import_id, _ = uploaded(client, [good_row()])
        response = client.post(urls(import_id)["discard"][1])
        assert response.status_code == 302 and response.url == START
        assert SpreadsheetImport.load(import_id) is None
        assert client.get(urls(import_id)["detail"][1]).status_code == 404
