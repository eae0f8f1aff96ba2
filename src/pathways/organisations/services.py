"""Changing organisations, people, memberships, invitations and the managed lists.

Each service checks permission, changes state atomically and writes the audit entry, so a page, the
API, a command and a job all behave the same.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from pathways.audit.models import AuditAction
from pathways.audit.services import audit_record, changes_between
from pathways.core.errors import DomainError

from . import permissions
from .capabilities import Cap
from .models import Invitation, Membership, Organisation, OrganisationType, Role, User
from .selectors import invitation_get_by_token, token_hash

INVITATION_LIFETIME = timedelta(days=14)

ORGANISATION_FIELDS = [
    "name", "type", "description", "charity_number", "company_number", "annual_income",
    "website", "email", "phone", "address", "postcode",
]


def organisation_snapshot(organisation: Organisation, *, areas=None) -> dict:
    """What the audit trail records of an organisation. ``areas`` saves reading them where the caller
    knows them (an import adding organisations, which have none yet)."""
    data = {field: getattr(organisation, field) for field in ORGANISATION_FIELDS}
    data["type"] = str(organisation.type) if organisation.type_id else None
    data["annual_income"] = str(data["annual_income"]) if data["annual_income"] is not None else None
    if areas is not None:
        data["areas"] = sorted(str(place) for place in areas)
    elif organisation.pk:
        data["areas"] = sorted(str(place) for place in organisation.areas.all())
    return data


# Words the organisation pages use in their own addresses, so no organisation can take them as its slug.
RESERVED_SLUGS = {"new", "invitations"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "organisation"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(*, by, acting_for=None, areas=(), **fields) -> Organisation:
    if by is not None and not permissions.can_create_organisation(by):
        raise PermissionDenied
    organisation = Organisation(slug=_unique_slug(fields["name"]), **fields)
    organisation.full_clean()
    organisation.save()
    organisation.areas.set(areas)
    audit_record(
        actor=by, action=AuditAction.CREATED, target=organisation, acting_for=acting_for,
        owner=organisation, changes=changes_between({}, organisation_snapshot(organisation)),
    )
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, acting_for=None, areas=None, **fields) -> Organisation:
    if not permissions.can_edit_organisation(by, organisation):
        raise PermissionDenied
    # Read "before" from the database: a form may already have changed the instance in memory.
    before = organisation_snapshot(Organisation.objects.get(pk=organisation.pk))
    for field, value in fields.items():
        if field not in ORGANISATION_FIELDS:
            raise ValueError(f"{field} cannot be changed here")
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    if areas is not None:
        organisation.areas.set(areas)
    changes = changes_between(before, organisation_snapshot(organisation))
    if changes:
        audit_record(
            actor=by, action=AuditAction.CHANGED, target=organisation, acting_for=acting_for,
            owner=organisation, changes=changes,
        )
    return organisation


# Invitations and memberships ----------------------------------------------------------------------

@transaction.atomic
def invitation_send(*, organisation: Organisation, email: str, role: Role, by, full_name: str = "") -> Invitation:
    """Invite someone by email to join with a role. The email carries the only copy of the link."""
    if not permissions.can_invite(by, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if role.is_retired:
        raise DomainError("That role has been retired. Choose another.", field="role")
    if Membership.objects.current().filter(organisation=organisation, user__email__iexact=email, role=role).exists():
        raise DomainError(f"{email} is already a {role.name.lower()} here.", field="email")
    for earlier in Invitation.objects.pending().filter(organisation=organisation, email__iexact=email):
        Invitation.objects.filter(pk=earlier.pk).update(revoked_at=timezone.now())
        audit_record(
            actor=by, action=AuditAction.REMOVED, target=earlier, acting_for=organisation, owner=organisation,
            reason="Replaced by a new invitation.",
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation, role=role, email=email, full_name=full_name.strip(),
        token_hash=token_hash(token), invited_by=by, expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    audit_record(
        actor=by, action=AuditAction.CREATED, target=invitation, acting_for=organisation, owner=organisation,
        changes={"email": [None, email], "role": [None, role.name]},
    )
    link = settings.SITE_URL.rstrip("/") + reverse("organisations:invitation-accept", args=[token])
    context = {"invitation": invitation, "link": link, "inviter": by}
    transaction.on_commit(
        lambda: send_mail(
            subject=f"You are invited to join {organisation.name} on Pathways",
            message=render_to_string("organisations/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user=None, full_name: str = "", password: str = "") -> Membership:
    """Accept as the signed-in ``user``, or create the account with ``full_name`` and ``password``."""
    invitation = invitation_get_by_token(token=token)
    if invitation is None:
        raise DomainError("This invitation link has expired or has already been used. Ask for a new one.")
    organisation = invitation.organisation
    if user is None:
        user = _account_create(email=invitation.email, full_name=full_name, password=password)
        audit_record(
            actor=user, action=AuditAction.CREATED, target=user, acting_for=organisation, owner=organisation,
            changes={"email": [None, user.email], "full_name": [None, user.full_name]},
        )
    elif user.email.lower() != invitation.email.lower():
        raise DomainError(
            f"This invitation was sent to {invitation.email}. Sign in with that address to accept it."
        )
    # Only one acceptance wins, even when the link is followed twice at the same moment.
    accepted = Invitation.objects.pending().filter(pk=invitation.pk).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not accepted:
        raise DomainError("This invitation link has expired or has already been used. Ask for a new one.")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, organisation=organisation, role=invitation.role)
    except IntegrityError:
        raise DomainError(f"You are already a {invitation.role.name.lower()} at {organisation}.") from None
    audit_record(
        actor=user, action=AuditAction.CREATED, target=membership, acting_for=organisation,
        owner=organisation, changes={"role": [None, invitation.role.name]},
    )
    permissions.forget_cached_capabilities(user)
    return membership


FIRST_BODY_TYPE = "infrastructure-body"
FIRST_ROLES = ("curator", "manager")


@transaction.atomic
def first_curator_create(*, organisation_name: str, email: str, full_name: str, password: str) -> User:
    """The first infrastructure body and the person who curates it and manages it, on a new installation.

    Run once, from the command line (``pathways first_curator``); refused once anyone curates, because
    from then on curators create organisations and managers invite people in Pathways itself. The
    organisation, the account and each membership are audited with no actor: the command made them.
    """
    # Anyone whose role lets them curate, whatever the role is called (curators can make new roles).
    if Membership.objects.current().filter(role__capabilities__code=Cap.CURATE.value).exists():
        raise DomainError("Pathways already has a curator. Ask them to invite more people from their organisation.")
    organisation_name = organisation_name.strip()
    if not organisation_name:
        raise DomainError("Enter the name of the infrastructure body", field="organisation")
    email = User.objects.normalize_email(email.strip())
    try:
        EmailValidator()(email)
    except ValidationError:
        raise DomainError("Enter an email address in the correct format, like name@example.org", field="email") \
            from None
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(f"There is already an account for {email}.", field="email")
    body = organisation_create(
        by=None, name=organisation_name, type=OrganisationType.objects.get(code=FIRST_BODY_TYPE),
    )
    user = _account_create(email=email, full_name=full_name, password=password)
    audit_record(
        actor=None, action=AuditAction.CREATED, target=user, acting_for=body, owner=body,
        changes={"email": [None, user.email], "full_name": [None, user.full_name]},
    )
    for role in Role.objects.filter(code__in=FIRST_ROLES).order_by("position"):
        membership = Membership.objects.create(user=user, organisation=body, role=role)
        audit_record(
            actor=None, action=AuditAction.CREATED, target=membership, acting_for=body, owner=body,
            changes={"role": [None, role.name]},
        )
    return user


def _account_create(*, email: str, full_name: str, password: str) -> User:
    """The account of someone joining by invitation, with a password that passes Django's validators."""
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError("You already have an account. Sign in to accept this invitation.")
    full_name = full_name.strip()
    if not full_name:
        raise DomainError("Enter your full name", field="full_name")
    user = User(email=email, full_name=full_name)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from None
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by) -> None:
    if not permissions.can_invite(by, invitation.organisation):
        raise PermissionDenied
    if invitation.status != "Waiting":
        raise DomainError("Only an invitation that is still waiting can be withdrawn.")
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    audit_record(
        actor=by, action=AuditAction.REMOVED, target=invitation, acting_for=invitation.organisation,
        owner=invitation.organisation,
    )


@transaction.atomic
def membership_end(*, membership: Membership, by, reason: str = "") -> Membership:
    """Someone leaves, or a manager ends their membership. The membership and its history stay."""
    if not permissions.can_end_membership(by, membership):
        raise PermissionDenied
    organisation = membership.organisation
    if membership.user_id != by.pk and not reason.strip():
        raise DomainError("Give a reason for ending this membership", field="reason")
    if membership.role.capabilities.filter(code="manage-organisation").exists():
        other_managers = (
            Membership.objects.current()
            .filter(organisation=organisation, role__capabilities__code="manage-organisation")
            .exclude(pk=membership.pk)
        )
        if not other_managers.exists():
            raise DomainError(
                f"{organisation} would have no manager. Invite another manager before this one leaves."
            )
    membership.ended_at = timezone.now()
    membership.ended_by = by
    membership.end_reason = reason.strip()
    membership.save(update_fields=["ended_at", "ended_by", "end_reason"])
    audit_record(
        actor=by, action=AuditAction.REMOVED, target=membership, acting_for=organisation, owner=organisation,
        reason=membership.end_reason,
    )
    permissions.forget_cached_capabilities(membership.user)
    return membership
