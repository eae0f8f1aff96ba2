"""`pathways export_ocds PATH`: one valid release package of every published process, or a non-zero exit."""

import json

import pytest
from django.core.management import CommandError, call_command

from pathways.commissioning.ocds import codes, ocid_for, validation

from .factories import make_opportunity
from .open_data_fixtures import *  # noqa: F403
from .open_data_fixtures import ALL_STATES, SECRET_TEXT, opportunity_in

pytestmark = pytest.mark.django_db


def test_the_export_writes_one_valid_release_package_of_every_published_process(tmp_path, probation, agency, leeds,
                                                                               capsys):
    published = [opportunity_in(state, probation, areas=[leeds], agency=agency, title=f"Work {state}")
                 for state in ALL_STATES]
    make_opportunity(probation, areas=[leeds], title="A draft")
    target = tmp_path / "ocds.json"

    call_command("export_ocds", str(target))

    package = json.loads(target.read_text())
    assert validation.release_package_errors(package) == []
    assert {release["ocid"] for release in package["releases"]} == {ocid_for(o) for o in published}
    assert "A draft" not in target.read_text()
    assert SECRET_TEXT.split()[0] not in target.read_text()
    assert f"Wrote {len(package['releases'])} releases to {target}" in capsys.readouterr().out
    assert not (tmp_path / "ocds.json.partial").exists()


def test_with_nothing_published_the_export_fails_with_a_message_and_writes_nothing(tmp_path, probation, leeds):
    make_opportunity(probation, areas=[leeds])
    target = tmp_path / "ocds.json"

    with pytest.raises(CommandError, match="no published process"):
        call_command("export_ocds", str(target))

    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_release_fails_the_export_and_leaves_no_file(tmp_path, probation, leeds, monkeypatch):
    opportunity_in("open", probation, areas=[leeds])
    monkeypatch.setitem(codes.TENDER_STATUS, "open", "open_for_bids")
    target = tmp_path / "ocds.json"

    with pytest.raises(CommandError, match="tender/status"):
        call_command("export_ocds", str(target))

    assert not target.exists()


def test_an_earlier_file_is_kept_when_the_new_export_fails(tmp_path, probation, leeds, monkeypatch):
    opportunity_in("open", probation, areas=[leeds])
    target = tmp_path / "ocds.json"
    call_command("export_ocds", str(target))
    before = target.read_text()
    monkeypatch.setitem(codes.TENDER_STATUS, "open", "open_for_bids")

    with pytest.raises(CommandError):
        call_command("export_ocds", str(target))

    assert target.read_text() == before


def test_a_folder_or_an_unwritable_place_is_refused_with_a_message(tmp_path, probation, leeds):
    opportunity_in("open", probation, areas=[leeds])

    with pytest.raises(CommandError, match="is a folder"):
        call_command("export_ocds", str(tmp_path))
    with pytest.raises(CommandError, match="Could not write"):
        call_command("export_ocds", str(tmp_path / "missing" / "ocds.json"))


def test_the_pathways_command_exits_non_zero_when_the_export_fails(tmp_path, probation, leeds):
    from pathways.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["export_ocds", str(tmp_path / "ocds.json")])

    assert exit_.value.code != 0
