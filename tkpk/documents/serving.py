"""A stored document sent back with the type of its kind, shown or downloaded, sandboxed."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from .checking import display_name
from .kinds import DocumentKind


def document_response(
    field_file: FieldFile, *, name: str, kind: DocumentKind | None = None
) -> FileResponse:
    """The stored document, named `name`, of the kind its stored extension says.

    Shown in the browser for PDF and images, downloaded otherwise. The view checks
    permissions first.
    """
    kind = kind or DocumentKind.from_name(field_file.name or "")
    try:
        stream = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    filename = display_name(name) or "document"
    if kind is None:
        response = FileResponse(
            stream, as_attachment=True, filename=filename, content_type="application/octet-stream"
        )
    else:
        if DocumentKind.from_name(filename) != kind:
            filename += kind.extension
        response = FileResponse(
            stream, as_attachment=not kind.inline, filename=filename, content_type=kind.content_type
        )
        if kind.inline:
            # Shown from our own origin: were a browser ever to run something in it, it runs
            # in an opaque origin without scripts, cookies or forms. django-csp's middleware
            # adds this to the site's policy (what its @csp_update decorator sets); a header
            # set here would instead replace that policy, since the middleware never
            # overwrites one.
            response._csp_update = {"sandbox": []}
    response["X-Content-Type-Options"] = "nosniff"
    return response
