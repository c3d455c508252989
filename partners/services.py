"""Writes on partners, their commitments and realisations; every door (page, demo) calls these.

Who may do what is decided here too, in `may_act_for` and `may_review`, so that a page,
a form and a test ask the same question.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from partners.models import (
    RUPIAH,
    Commitment,
    Evidence,
    Partner,
    PartnerTarget,
    Pledge,
    PledgeKind,
    Realisation,
    RealisationStatus,
    quantity_written,
)
from programs.models import Enrollment
from tkpk.documents import CheckedDocument, document_save, documents_removed_on_failure
from tkpk.models import Role, User
from tkpk.permissions import MANAGERS
from tkpk.translation import Message as _

# How a rupiah unit may be typed; all are stored as RUPIAH.
RUPIAH_SPELLINGS = frozenset({"rp", "rp.", "rupiah", "idr"})


def may_act_for(user: User, partner: Partner | int) -> bool:
    """Whether `user` may update `partner` and record its realisations: the secretariat,
    the administrator, and that partner's own operator (never a read-only leader)."""
    partner_id = partner if isinstance(partner, int) else partner.pk
    if user.role in MANAGERS:
        return True
    return user.role == Role.PARTNER and user.partner_id == partner_id


def may_review(user: User) -> bool:
    """Whether `user` verifies or returns realisations: the secretariat and the administrator."""
    return user.role in MANAGERS


def partner_save(*, partner: Partner, by: User) -> Partner:
    # The secretariat adds partners; a partner's operator keeps its own profile current.
    if not (may_act_for(by, partner) if partner.pk else by.role in MANAGERS):
        raise PermissionDenied
    partner.full_clean()
    partner.save()
    return partner


def partner_target_set(*, year: int, partners: int, by: User) -> PartnerTarget:
    """Set how many partners the region wants with an active commitment in `year`."""
    if by.role not in MANAGERS:
        raise PermissionDenied
    target = PartnerTarget(year=year, partners=partners, set_by=by)
    target.full_clean(validate_unique=False)
    with transaction.atomic():
        target, _created = PartnerTarget.objects.update_or_create(
            year=year, defaults={"partners": partners, "set_by": by}
        )
    return target


def pledge_unit(kind: str, unit: str) -> str:
    """The unit a pledge is stored in: RUPIAH for money however it was typed, any other in
    lower case, so that "Ton" and "ton" are summed together."""
    unit = " ".join(unit.split()).lower()
    if kind == PledgeKind.MONEY or unit in RUPIAH_SPELLINGS:
        return RUPIAH
    return unit or str(PledgeKind.default_unit(kind))


def commitment_save(
    *,
    commitment: Commitment,
    partners: Iterable[Partner],
    pledges: Iterable[Pledge],
    removed: Iterable[Pledge] = (),
    document: CheckedDocument | None = None,
    by: User,
) -> Commitment:
    """Save a commitment with its signing partners and pledge lines, all or nothing.

    `pledges` are the lines to keep (new or changed); `removed` are saved lines to delete.
    Every line's partner must be one of the signing partners; a line with realisations
    cannot be removed, nor moved to another partner.
    """
    if by.role not in MANAGERS:
        raise PermissionDenied
    partners, pledges, removed = list(partners), list(pledges), list(removed)
    _check_program(commitment)
    _check_pledges(commitment, partners, pledges, removed)
    with documents_removed_on_failure(), transaction.atomic():
        if commitment.pk is None:
            commitment.created_by = by
        if document is not None:
            document_save(document, commitment.document)
            commitment.document_name = document.name
        commitment.full_clean(exclude=["created_by"] if commitment.pk is None else None)
        commitment.save()
        commitment.partners.set(partners)
        for pledge in removed:
            pledge.delete()
        for pledge in pledges:
            pledge.commitment = commitment
            pledge.unit = pledge_unit(pledge.kind, pledge.unit)
            pledge.full_clean()
            pledge.save()
    return commitment


def signer_refusal(partner: Partner, signers: set[int]) -> str | None:
    """Why `partner` may not give a pledge on a commitment signed by `signers` (their
    pks), or None: only a signing partner pledges. Forms ask this too, to mark the line."""
    if partner.pk in signers:
        return None
    return _("%(partner)s makes a pledge but is not among the signing partners: tick it.") % {
        "partner": partner
    }


def _check_program(commitment: Commitment) -> None:
    """A commitment whose realisations name participants stays with their program."""
    if commitment.pk is None:
        return
    saved = Commitment.objects.filter(pk=commitment.pk).values_list("program", flat=True).get()
    named = Realisation.objects.filter(
        pledge__commitment=commitment, participants__isnull=False
    ).exists()
    if saved != commitment.program_id and named:
        raise ValidationError(
            {
                "program": _(
                    "Realisations of this commitment name participants of its program: "
                    "the program cannot change."
                )
            }
        )


def _check_pledges(
    commitment: Commitment, partners: list[Partner], pledges: list[Pledge], removed: list[Pledge]
) -> None:
    if not partners:
        raise ValidationError(_("Choose at least one signing partner."))
    signers = {partner.pk for partner in partners}
    # Saved lines neither changed nor removed stay, so they must still have their signer.
    untouched = (
        commitment.pledges.exclude(pk__in=[p.pk for p in (*pledges, *removed) if p.pk])
        if commitment.pk
        else Pledge.objects.none()
    )
    for pledge in (*pledges, *untouched.select_related("partner")):
        if refusal := signer_refusal(pledge.partner, signers):
            raise ValidationError(refusal)
    for pledge in pledges:
        if pledge.pk and _realised_pledge_changed(pledge):
            raise ValidationError(
                _(
                    "A pledge with realisations keeps its partner, kind and unit; "
                    "add a new line instead."
                )
            )
    for pledge in removed:
        if pledge.realisations.exists():
            raise ValidationError(
                _("The pledge of %(partner)s has realisations: it cannot be removed.")
                % {"partner": pledge.partner}
            )


def _realised_pledge_changed(pledge: Pledge) -> bool:
    """Whether `pledge` has realisations and its partner, kind or unit is being changed."""
    saved = Pledge.objects.filter(pk=pledge.pk, realisations__isnull=False).first()
    if saved is None:
        return False
    unit = pledge_unit(pledge.kind, pledge.unit)
    return (saved.partner_id, saved.kind, saved.unit) != (pledge.partner_id, pledge.kind, unit)


def realisation_save(
    *,
    realisation: Realisation,
    by: User,
    evidence: Iterable[CheckedDocument] = (),
    participants: Iterable[Enrollment] | None = None,
) -> Realisation:
    """Record or correct what a partner delivered against a pledge.

    A correction of a returned entry sends it back for verification; a verified entry is
    final. `participants` (None: unchanged) may only be given for jobs and training places
    of a commitment for a program, from that program's enrolments, at most as many as
    delivered.
    """
    pledge = realisation.pledge
    if not may_act_for(by, pledge.partner_id):
        raise PermissionDenied
    with documents_removed_on_failure(), transaction.atomic():
        if realisation.pk is not None:
            locked = Realisation.objects.select_for_update().get(pk=realisation.pk)
            if not locked.is_editable:
                raise ValidationError(_("This realisation is verified: it can no longer change."))
            realisation.version = locked.version + 1
        else:
            realisation.entered_by = by
        realisation.status = RealisationStatus.SUBMITTED
        realisation.full_clean(exclude=["entered_by"])
        realisation.save()
        if participants is not None:
            _participants_set(realisation, list(participants))
        for document in evidence:
            item = Evidence(realisation=realisation, name=document.name, uploaded_by=by)
            document_save(document, item.file)
            item.save()
    return realisation


def _participants_set(realisation: Realisation, participants: list[Enrollment]) -> None:
    pledge = realisation.pledge
    if participants and not pledge.names_participants:
        raise ValidationError(
            _("Only jobs and training places of a program's commitment name participants.")
        )
    program_id = pledge.commitment.program_id
    if any(enrollment.program_id != program_id for enrollment in participants):
        raise ValidationError(_("Every participant named must take part in the program."))
    if len(participants) > realisation.quantity:
        raise ValidationError(
            ngettext(
                "%(n)d participant is named but %(delivered)s were delivered.",
                "%(n)d participants are named but %(delivered)s were delivered.",
                len(participants),
            )
            % {"n": len(participants), "delivered": quantity_written(realisation.quantity)}
        )
    realisation.participants.set(participants)


def realisation_review(
    *, realisation: Realisation, version: int, verified: bool, comment: str = "", by: User
) -> Realisation:
    """Verify a realisation, or return it to the partner with a comment saying why.

    `version` is the version the reviewer read: a correction sent meanwhile is refused
    here rather than verified unseen.
    """
    if not may_review(by):
        raise PermissionDenied
    comment = comment.strip()
    if not verified and not comment:
        raise ValidationError({"comment": _("Say why the realisation is returned.")})
    with transaction.atomic():
        # Locked, so that a correction sent meanwhile is not verified unseen.
        current = Realisation.objects.select_for_update().get(pk=realisation.pk)
        if current.status != RealisationStatus.SUBMITTED:
            raise ValidationError(
                _("This realisation is no longer awaiting verification: it is %(status)s.")
                % {"status": current.get_status_display().lower()}
            )
        if current.version != version:
            raise ValidationError(
                _("The realisation was corrected while you were reading it: read it again.")
            )
        current.status = RealisationStatus.VERIFIED if verified else RealisationStatus.RETURNED
        current.review_comment = comment
        current.reviewed_by, current.reviewed_at = by, timezone.now()
        current.save()
    return current
