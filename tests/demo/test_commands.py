"""`pathways demo` and `pathways demo_sign_ins` as someone runs them."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from pathways.audit.models import AuditEntry
from pathways.demo import region
from pathways.organisations.models import Membership, Organisation, Place, PlaceKind, User
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in (Organisation, User, Membership, Place, AuditEntry)]


def test_from_the_shell_the_demo_loads_once_then_refuses_and_if_empty_succeeds(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "PYTEST_VERSION"}}
    env.update(PATHWAYS_VAR_DIR=str(tmp_path), PATHWAYS_ENV="test")

    def pathways(*args):
        command = [sys.executable, "-m", "pathways.cli", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert pathways("migrate", "--noinput").returncode == 0
    assert pathways("demo").returncode == 0
    again = pathways("demo")
    assert again.returncode != 0
    assert "already has organisations or people" in again.stderr
    if_empty = pathways("demo", "--if-empty")
    assert if_empty.returncode == 0
    assert "Database already has data; demo not loaded" in if_empty.stdout


def test_given_an_empty_database_the_demo_loads(capsys):
    call_command("demo")
    assert "Loaded the demo region" in capsys.readouterr().out
    assert Organisation.objects.filter(name="Aire Valley Resettlement Trust").exists()


def test_given_the_demo_is_loaded_running_it_again_refuses_and_changes_nothing():
    call_command("demo")
    before = counts()
    with pytest.raises(CommandError, match="already has organisations or people"):
        call_command("demo")
    assert counts() == before


def test_given_any_data_the_demo_refuses_without_force(charity):
    with pytest.raises(CommandError, match="--force"):
        call_command("demo")
    assert Organisation.objects.count() == 1


def test_if_empty_loads_into_an_empty_database():
    call_command("demo", "--if-empty")
    assert User.objects.filter(email="curator@example.org").exists()


def test_if_empty_on_a_database_with_data_says_so_and_succeeds_without_changes(charity, capsys):
    before = counts()
    call_command("demo", "--if-empty")
    assert "Database already has data; demo not loaded" in capsys.readouterr().out
    assert counts() == before


def test_force_adds_the_demo_alongside_existing_data_and_reuses_places(charity):
    leeds = PlaceFactory(kind=PlaceKind.LOCAL_AUTHORITY, name="Leeds", code="E08000035")
    call_command("demo", "--force")
    assert Organisation.objects.filter(pk=charity.pk).exists()
    assert Place.objects.filter(kind=PlaceKind.LOCAL_AUTHORITY, name="Leeds").get() == leeds
    assert User.objects.filter(email="manager@example.org").exists()


def test_force_refuses_when_the_demos_people_are_already_there_naming_them():
    call_command("demo")
    before = counts()
    with pytest.raises(CommandError, match=r"already here \(agency@example.org, "):
        call_command("demo", "--force")
    assert counts() == before


def test_loading_is_all_or_nothing(monkeypatch):
    create_people = region._create_people

    def fails_after_creating_people(organisations):
        create_people(organisations)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(region, "_create_people", fails_after_creating_people)
    with pytest.raises(RuntimeError):
        call_command("demo")
    assert counts() == [0, 0, 0, 0, 0]


def test_sign_ins_are_printed_as_a_table_with_where_to_sign_in(monkeypatch, capsys):
    call_command("demo")
    capsys.readouterr()
    monkeypatch.setenv("PORT", "8077")
    call_command("demo_sign_ins")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8077/sign-in/" in out
    lines = out.splitlines()
    for sign_in in region.demo_sign_ins():
        row = next(line for line in lines if sign_in.email in line)
        assert sign_in.role in row and region.DEMO_PASSWORD in row and sign_in.home in row


def test_sign_ins_without_the_demo_say_it_is_not_loaded(capsys):
    call_command("demo_sign_ins")
    assert "not loaded" in capsys.readouterr().out
