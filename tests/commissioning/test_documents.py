"""An opportunity's documents: checked by what they are and by size, stored under MEDIA_ROOT, kept once bids open."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from pathways.commissioning.models import OpportunityDocument
from pathways.commissioning.services import documents
from pathways.core.errors import DomainError

from .factories import make_opportunity, published

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class TestWhatAFileIs:
    @pytest.mark.parametrize(("name", "content", "expected"), [
        ("spec.pdf", PDF, "application/pdf"),
        ("spec.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("spec.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("prices.csv", "Lot,Value\n1,£100\n".encode(), "text/csv"),
        ("notes.txt", b"Plain words.", "text/plain"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "application/msword"),
    ])
    def test_given_an_accepted_file_then_its_type_is_found_from_its_content(self, name, content, expected):
        assert documents.document_kind(upload(name, content, "text/html")) == expected

    @pytest.mark.parametrize(("name", "content"), [
        ("spec.pdf", b"<html>not a pdf</html>"),          # claims to be a PDF
        ("report.exe", b"MZ\x90\x00"),                     # a program
        ("spec.docx", b"PK\x03\x04not really a zip"),      # broken archive
        ("spec.docx", odt()),                              # an OpenDocument file named as Word
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00"),       # binary named as text
        ("spec.txt", PDF),                                 # a PDF named as text is refused too
    ])
    def test_given_a_file_that_is_not_what_it_claims_then_it_is_refused(self, name, content):
        with pytest.raises(DomainError) as error:
            documents.document_kind(upload(name, content, "application/pdf"))
        assert (error.value.field, error.value.message) == (
            "file", "The selected file must be a PDF, Word, Excel, OpenDocument, CSV or text file"
        )

    def test_given_an_empty_or_too_large_file_then_it_is_refused_with_the_limit(self, monkeypatch):
        with pytest.raises(DomainError, match="The selected file is empty"):
            documents.document_kind(upload("empty.pdf", b""))
        monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 10)
        with pytest.raises(DomainError, match="The selected file must be smaller than 20 MB"):
            documents.document_kind(upload("big.pdf", PDF))


class TestAddingAndRemoving:
    def test_given_a_commissioner_then_the_document_is_stored_under_media_root_with_its_name_kept(
        self, commissioner, probation, media
    ):
        opportunity = make_opportunity(probation, by=commissioner)
        document = documents.document_add(opportunity=opportunity, by=commissioner, title="Specification",
                                          upload=upload("Our spec (final).pdf", PDF))
        assert (document.content_type, document.size, document.original_name) == (
            "application/pdf", len(PDF), "Our spec (final).pdf"
        )
        stored = media / document.file.name
        assert stored.read_bytes() == PDF and document.file.name.startswith("opportunities/")

    def test_given_a_refused_file_then_nothing_is_saved(self, commissioner, probation, media):
        opportunity = make_opportunity(probation, by=commissioner)
        with pytest.raises(DomainError):
            documents.document_add(opportunity=opportunity, by=commissioner, title="Spec", upload=upload("x.pdf", b"no"))
        assert not OpportunityDocument.objects.exists()
        assert not media.exists() or not any(media.rglob("*.*"))

    def test_given_no_title_then_the_message_names_it(self, commissioner, probation):
        opportunity = make_opportunity(probation, by=commissioner)
        with pytest.raises(DomainError) as error:
            documents.document_add(opportunity=opportunity, by=commissioner, title=" ", upload=upload("x.pdf", PDF))
        assert error.value.field == "title"

    def test_given_another_organisation_then_it_cannot_add(self, commissioner, other_commissioner, probation):
        opportunity = make_opportunity(probation, by=commissioner)
        with pytest.raises(PermissionDenied):
            documents.document_add(opportunity=opportunity, by=other_commissioner, title="Spec", upload=upload("x.pdf", PDF))

    def test_given_bids_are_open_then_documents_can_be_added_but_not_removed(
        self, commissioner, probation, leeds, django_capture_on_commit_callbacks, media
    ):
        opportunity = published(probation, by=commissioner, areas=[leeds])
        document = documents.document_add(opportunity=opportunity, by=commissioner, title="Addendum 1",
                                          upload=upload("addendum.pdf", PDF))
        with pytest.raises(DomainError, match="cannot be removed once bids are invited"):
            documents.document_remove(document=document, by=commissioner)

    def test_given_a_draft_then_a_document_is_removed_with_its_file(
        self, commissioner, probation, django_capture_on_commit_callbacks, media
    ):
        opportunity = make_opportunity(probation, by=commissioner)
        document = documents.document_add(opportunity=opportunity, by=commissioner, title="Spec",
                                          upload=upload("spec.pdf", PDF))
        stored = media / document.file.name
        with django_capture_on_commit_callbacks(execute=True):
            documents.document_remove(document=document, by=commissioner)
        assert not OpportunityDocument.objects.exists() and not stored.exists()
