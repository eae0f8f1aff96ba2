"""Factories for tests. Types, roles and taxonomy terms are seeded by migrations; use them by code."""

import factory
from django.utils import timezone

from pathways.organisations.models import Membership, Organisation, OrganisationType, Place, PlaceKind, Role, User

PASSWORD = "a-long-test-password"


def org_type(code: str) -> OrganisationType:
    return OrganisationType.objects.get(code=code)


def role(code: str) -> Role:
    return Role.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    kind = PlaceKind.LOCAL_AUTHORITY
    name = factory.Sequence(lambda n: f"Place {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-organisation-{n}")
    type = factory.LazyFunction(lambda: org_type("charity"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyFunction(lambda: role("front-line-worker"))
    started_at = factory.LazyFunction(timezone.now)


def member(role_code: str, organisation: Organisation | None = None, **user_fields) -> User:
    """A person with a current membership in ``organisation`` (a new charity if None) in that role."""
    organisation = organisation or OrganisationFactory()
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role(role_code))
    return user


# The knowledge base -------------------------------------------------------------------------------

class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Location"

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Centre {n}")
    address_1 = "1 Example Street"
    city = "Leeds"
    postcode = "LS1 1AA"
    latitude = 53.7974
    longitude = -1.5438


def directory_service(organisation: Organisation | None = None, *, publish: bool = True, terms=(), areas=(),
                      locations=(), drop_in: tuple | None = None, **fields):
    """A service made through the services layer (so versions and search are kept), published by default.

    ``terms`` are term codes; ``locations`` are Location objects of the same organisation; ``drop_in``
    is (weekday, opens, closes) such as ("MO", time(10), time(12)).
    """
    from pathways.directory.models import Attendance, Schedule, ServiceAtLocation
    from pathways.directory.services.records import service_create
    from pathways.directory.services.search_index import search_document_refresh
    from pathways.taxonomy.models import Term

    organisation = organisation or OrganisationFactory()
    fields.setdefault("name", f"Service of {organisation.name}")
    service = service_create(
        organisation=organisation, by=None, publish=publish,
        terms=Term.objects.filter(code__in=terms), areas=areas, **fields,
    )
    for location in locations:
        ServiceAtLocation.objects.create(service=service, location=location)
    if drop_in:
        weekday, opens_at, closes_at = drop_in
        Schedule.objects.create(
            service=service, attendance=Attendance.DROP_IN, weekday=weekday, opens_at=opens_at, closes_at=closes_at
        )
    if locations or drop_in:
        search_document_refresh(service=service)
    return service
