from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tkpk.models import ExportLog, Role, User


@transaction.atomic
def user_save(*, user: User, password: str = "", by: User) -> User:
    """Validate and store a user created or edited by `by`; set the password if given.

    The password must pass AUTH_PASSWORD_VALIDATORS for this user (its new username too).

    Only administrators may create, change or hand out the administrator role.
    """
    if by.role != Role.ADMIN:
        was_admin = (
            user.pk is not None and User.objects.filter(pk=user.pk, role=Role.ADMIN).exists()
        )
        if user.role == Role.ADMIN or was_admin:
            raise PermissionDenied
    if password:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.error_list}) from error
        user.set_password(password)
    elif user.pk is None:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def export_log_record(
    *, user: User, what: str, filters: dict, rows: int, file_format: str
) -> ExportLog:
    """Record that `user` took `rows` rows of personal data out as a `file_format` file."""
    log = ExportLog(user=user, what=what, filters=filters, rows=rows, file_format=file_format)
    log.full_clean()
    log.save()
    return log
