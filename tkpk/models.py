from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SECRETARIAT = "secretariat", _("TKPK secretariat")
    AGENCY = "agency", _("Agency operator")
    LEADER = "leader", _("Leader")
    PARTNER = "partner", _("Partner operator")


# Leaders read dashboards and reports; they never write, whatever a view allows.
READ_ONLY_ROLES = frozenset({Role.LEADER})


class ConstraintsOnFields:
    """A model mixin: the refusal of a constraint named in `constraint_fields` is shown on
    that field, not above the form (Django puts check and expression constraints there).

    Each such constraint sets `violation_error_code` to its own name.
    """

    constraint_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            for item in general:
                field = self.constraint_fields.get(getattr(item, "code", None), NON_FIELD_ERRORS)
                errors.setdefault(field, []).append(item)
            raise ValidationError(errors) from error


class AgencyQuerySet(models.QuerySet):
    def active(self) -> "AgencyQuerySet":
        return self.filter(is_active=True)


class Agency(models.Model):
    """A regional agency (perangkat daerah, OPD) such as Dinsos P3AP2KB."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=50, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["acronym"]

    def __str__(self) -> str:
        return self.acronym


class TkpkUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # Administrator rights come from the role (see User.is_staff), not from flags.
        extra_fields.pop("is_staff", None)
        extra_fields.pop("is_superuser", None)
        extra_fields.setdefault("role", Role.ADMIN)
        if extra_fields["role"] != Role.ADMIN:
            raise ValueError("A superuser must have the administrator role.")
        return self._create_user(username, email, password, **extra_fields)

    def create_user(self, username, email=None, password=None, **extra_fields):
        extra_fields.pop("is_staff", None)
        extra_fields.pop("is_superuser", None)
        if extra_fields.get("role") not in Role.values:
            raise ValueError(f"A user needs a role, one of {', '.join(Role.values)}.")
        return self._create_user(username, email, password, **extra_fields)

    def with_perm(self, perm, is_active=True, include_superusers=True, backend=None, obj=None):
        # Permissions follow the role: administrators hold every permission, no one else any.
        users = self.filter(role=Role.ADMIN) if include_superusers else self.none()
        return users if is_active is None else users.filter(is_active=is_active)


class User(AbstractUser):
    """A person who signs in. What they may see and do follows from `role`, and from the
    `agency` or `partner` an operator works for."""

    # One name field; the role is the single source of administrator rights, so the
    # is_staff / is_superuser flags of AbstractUser are properties below, not columns.
    first_name = None
    last_name = None

    name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for agency operators, empty for every other role."),
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for partner operators, empty for every other role."),
    )

    objects = TkpkUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="user_role_known",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.AGENCY, agency__isnull=False)
                    | (~models.Q(role=Role.AGENCY) & models.Q(agency__isnull=True))
                ),
                name="user_agency_iff_agency_operator",
                violation_error_message=_(
                    "An agency operator must belong to exactly one agency; "
                    "other roles belong to none."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role=Role.PARTNER, partner__isnull=False)
                    | (~models.Q(role=Role.PARTNER) & models.Q(partner__isnull=True))
                ),
                name="user_partner_iff_partner_operator",
                violation_error_message=_(
                    "A partner operator must belong to exactly one partner; "
                    "other roles belong to none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def is_staff(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_superuser(self) -> bool:
        return self.is_active and self.role == Role.ADMIN

    @property
    def is_read_only(self) -> bool:
        return self.role in READ_ONLY_ROLES

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.username


class ExportLog(models.Model):
    """One file of personal data taken out of the application: who, when, what, how much.

    Kept as evidence under the Personal Data Protection Law (UU 27/2022); nobody edits it.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="export_logs"
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    what = models.CharField(_("what"), max_length=50, help_text=_("For example “register”."))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    file_format = models.CharField(_("file format"), max_length=10)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        when = f"{self.created_at:%Y-%m-%d %H:%M}" if self.created_at else "—"
        return f"{when} {self.user} {self.what} ({self.rows} {self.file_format})"
