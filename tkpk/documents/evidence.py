"""The stored shape of an evidence file, shared by every model that keeps them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceFile(models.Model):
    """A file that shows something happened (a receipt, a photo, an attendance list), under
    the name its uploader gave. A concrete model adds its parent and its `file` field with
    the folder it is stored in; the file itself is stored by documents.document_save."""

    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
