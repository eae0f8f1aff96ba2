"""The ids Open Referral UK gives the records Pathways folds into its own."""

import random
import uuid

from pathways.directory.oruk.mapping import ORUK_NAMESPACE, derived_id


def test_a_derived_id_is_the_name_based_uuid_of_its_owner_kind_and_key():
    rng = random.Random(11)
    owners = [uuid.UUID(int=rng.getrandbits(128)) for _ in range(200)]
    cases = [(owner, kind, key) for owner in owners for kind, key in (
        ("address", ""), ("language", "Polish"), ("language", "Cymraeg â ŵ"), ("area", rng.randrange(10**6)),
    )]
    cases += [(str(owners[0]), "schedule", "MO"), ("text owner", "contact", "")]
    for owner, kind, key in cases:
        made = derived_id(owner, kind, key)
        assert made == str(uuid.uuid5(ORUK_NAMESPACE, f"{owner}:{kind}:{key}"))
        assert uuid.UUID(made).version == 5


def test_derived_ids_differ_by_owner_kind_and_key():
    owner = uuid.UUID(int=7)
    made = {derived_id(owner, "language", "Polish"), derived_id(owner, "language", "Urdu"),
            derived_id(owner, "address"), derived_id(uuid.UUID(int=8), "language", "Polish")}
    assert len(made) == 4
