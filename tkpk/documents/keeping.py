"""Documents kept under kept/ between two POSTs, each behind a signed token bound to its user."""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from .checking import CheckedDocument
from .kinds import DocumentKind

KEPT_DIR = "kept"
KEPT_MAX_AGE = timedelta(days=1)
# Unchanged since the module was tkpk/documents.py: tokens already handed out stay good.
_KEPT_SALT = "tkpk.documents.kept"
_KEPT_PATH = re.compile(rf"{KEPT_DIR}/[0-9a-f]{{32}}\.[a-z]+")


@dataclass(frozen=True)
class KeptFile:
    """What a good token points to, without opening the file."""

    token: str
    path: str
    name: str
    kind: DocumentKind


def keep(checked: CheckedDocument, *, user) -> str:
    """Save the document under kept/ and return a token that gives it back to `user`."""
    if getattr(user, "pk", None) is None:
        raise ValueError("Only a signed-in user's documents are kept.")
    kept_files_prune()
    # Wrapped, so a temporary upload is copied rather than moved from under the request.
    path = default_storage.save(
        f"{KEPT_DIR}/{uuid.uuid4().hex}{checked.kind.extension}", File(checked.upload)
    )
    return signing.dumps(
        {"user": user.pk, "path": path, "name": checked.name, "kind": checked.kind.value},
        salt=_KEPT_SALT,
    )


def kept_file(token: str, *, user) -> KeptFile | None:
    """The kept file `token` names for `user`; None if forged, expired or someone else's."""
    try:
        data = signing.loads(token, salt=_KEPT_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return None
    pk = getattr(user, "pk", None)
    if not isinstance(data, dict) or pk is None or data.get("user") != pk:
        return None
    path, name, kind = data.get("path"), data.get("name"), data.get("kind")
    if not isinstance(path, str) or not _KEPT_PATH.fullmatch(path) or not isinstance(name, str):
        return None
    if kind not in DocumentKind.values or not path.endswith(DocumentKind(kind).extension):
        return None
    return KeptFile(token=token, path=path, name=name, kind=DocumentKind(kind))


def kept(token: str, *, user) -> CheckedDocument | None:
    """The document `keep()` saved for `user`, opened; None if the token is not good.

    `upload` is an open file: `document_save()` closes it, any other caller must.
    """
    found = kept_file(token, user=user)
    if found is None:
        return None
    try:
        upload = default_storage.open(found.path, "rb")
    except FileNotFoundError:
        return None
    return CheckedDocument(upload=upload, kind=found.kind, name=found.name, token=token)


def kept_files_prune(older_than: timedelta = KEPT_MAX_AGE) -> int:
    """Delete kept files older than `older_than`; return how many."""
    try:
        _dirs, names = default_storage.listdir(KEPT_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    deleted = 0
    for name in names:
        path = f"{KEPT_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # pruned by another request meanwhile
            continue
    return deleted
