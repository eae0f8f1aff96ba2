"""The first infrastructure body and its curator, made from the command line on a new installation."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pathways.audit.models import AuditEntry
from pathways.organisations import permissions
from pathways.organisations.models import Membership, Organisation, User

PASSWORD = "a long enough passphrase 2026"


def first_curator(monkeypatch, *, password=PASSWORD, **options) -> str:
    monkeypatch.setenv("PATHWAYS_FIRST_CURATOR_PASSWORD", password)
    out = StringIO()
    call_command("first_curator", stdout=out, **{
        "organisation": "Ridings Voluntary Action", "email": "Cass@Ridings.example.org", "full_name": "Cass Curator",
        **options,
    })
    return out.getvalue()


def test_given_a_new_installation_when_run_then_the_body_and_its_curator_and_manager_exist(db, monkeypatch):
    said = first_curator(monkeypatch)

    user = User.objects.get(email="Cass@ridings.example.org")
    assert user.check_password(PASSWORD) and user.full_name == "Cass Curator"
    body = Organisation.objects.get(name="Ridings Voluntary Action")
    assert body.type.code == "infrastructure-body"
    roles = set(Membership.objects.current().filter(user=user, organisation=body).values_list("role__code", flat=True))
    assert roles == {"curator", "manager"}
    assert permissions.can_create_organisation(user)
    assert permissions.can_invite(user, body)
    assert "Cass Curator (Cass@ridings.example.org) curates and manages Ridings Voluntary Action" in said
    # The body, the account and both memberships are in the audit trail, made by no one signed in.
    made = AuditEntry.objects.filter(owner=body, actor=None)
    assert made.count() == 4


def test_given_a_curator_already_when_run_then_refused_and_nothing_is_made(db, monkeypatch, curator):
    before = (Organisation.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="already has a curator"):
        first_curator(monkeypatch, email="second@ridings.example.org")
    assert (Organisation.objects.count(), User.objects.count()) == before


def test_given_a_weak_password_when_run_then_refused_and_nothing_is_half_made(db, monkeypatch):
    with pytest.raises(CommandError, match="too short|too common"):
        first_curator(monkeypatch, password="pass")
    assert not Organisation.objects.filter(name="Ridings Voluntary Action").exists()
    assert not User.objects.exists()


@pytest.mark.parametrize(("options", "message"), [
    ({"email": "not an address"}, "correct format"),
    ({"full_name": "  "}, "full name"),
    ({"organisation": " "}, "name of the infrastructure body"),
])
def test_given_a_missing_or_wrong_detail_when_run_then_the_message_names_it(db, monkeypatch, options, message):
    with pytest.raises(CommandError, match=message):
        first_curator(monkeypatch, **options)
    assert not User.objects.exists()


def test_given_an_existing_account_with_that_email_when_run_then_refused(db, monkeypatch, manager):
    with pytest.raises(CommandError, match="already an account"):
        first_curator(monkeypatch, email=manager.email.upper())


def test_given_no_password_and_no_one_to_ask_when_run_then_refused(db, monkeypatch):
    monkeypatch.delenv("PATHWAYS_FIRST_CURATOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", StringIO(""))
    with pytest.raises(CommandError, match="PATHWAYS_FIRST_CURATOR_PASSWORD"):
        call_command("first_curator", organisation="Body", email="a@b.example.org", full_name="A B")
    assert not User.objects.exists()
