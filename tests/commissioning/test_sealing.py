"""Sealed bids: anyone can seal to an opportunity's key; nothing opens before the deadline."""

from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from django.test import override_settings

from pathways.commissioning.sealing import (
    SealBroken,
    StillSealed,
    content_hash,
    keys_create,
    private_key_release,
    seal,
    unseal,
)

DEADLINE = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
BID = "bid 6a1f/sections"


@pytest.fixture
def keys():
    return keys_create(opportunity_id="opportunity-1")


def _release(keys, opportunity_id="opportunity-1"):
    return private_key_release(
        opportunity_id=opportunity_id, wrapped_private_key=keys.wrapped_private_key, deadline=DEADLINE
    )


def test_a_sealed_bid_opens_after_the_deadline_and_says_what_was_sealed(keys):
    sealed = seal(public_key=keys.public_key, plaintext=b"Our approach is peer-led.", context=BID)
    assert b"peer-led" not in sealed
    with time_machine.travel(DEADLINE + timedelta(seconds=1)):
        assert unseal(private_key=_release(keys), sealed=sealed, context=BID) == b"Our approach is peer-led."


@pytest.mark.parametrize("before", [timedelta(days=30), timedelta(seconds=1), timedelta(microseconds=1)])
def test_the_key_is_refused_before_the_deadline_by_any_margin(keys, before):
    with time_machine.travel(DEADLINE - before), pytest.raises(StillSealed):
        _release(keys)


def test_the_key_is_released_at_the_deadline_itself(keys):
    with time_machine.travel(DEADLINE, tick=False):
        assert _release(keys) is not None


def test_the_stored_key_is_useless_without_the_servers_sealing_key(keys):
    with time_machine.travel(DEADLINE + timedelta(days=1)):
        with override_settings(BID_SEALING_KEY="a different installation's key"), pytest.raises(SealBroken):
            _release(keys)


def test_one_opportunitys_stored_key_cannot_be_passed_off_as_anothers(keys):
    with time_machine.travel(DEADLINE + timedelta(days=1)), pytest.raises(SealBroken):
        _release(keys, opportunity_id="opportunity-2")


def test_sealed_content_moved_to_another_bid_or_altered_does_not_open(keys):
    sealed = seal(public_key=keys.public_key, plaintext=b"price: 48000", context=BID)
    with time_machine.travel(DEADLINE + timedelta(days=1)):
        private = _release(keys)
        with pytest.raises(SealBroken):
            unseal(private_key=private, sealed=sealed, context="bid 9999/sections")
        altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
        with pytest.raises(SealBroken):
            unseal(private_key=private, sealed=altered, context=BID)


def test_another_opportunitys_key_cannot_open_a_bid(keys):
    other = keys_create(opportunity_id="opportunity-2")
    sealed = seal(public_key=keys.public_key, plaintext=b"secret", context=BID)
    with time_machine.travel(DEADLINE + timedelta(days=1)), pytest.raises(SealBroken):
        unseal(private_key=_release(other, "opportunity-2"), sealed=sealed, context=BID)


def test_sealing_the_same_words_twice_gives_different_ciphertext(keys):
    first = seal(public_key=keys.public_key, plaintext=b"same", context=BID)
    assert first != seal(public_key=keys.public_key, plaintext=b"same", context=BID)


def test_the_receipt_hash_is_the_sha256_of_what_was_submitted():
    assert content_hash(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
