"""HTML to PDF with WeasyPrint, for the year-end report and the award certificates.

WeasyPrint runs no JavaScript and, here, fetches nothing but `data:` URIs: a document is
printed from its own HTML and inline SVG only, so text typed into a narrative or a
candidate's name can never make the server open a URL or read a file.
"""


def pdf_from_html(html: str) -> bytes:
    """The PDF of a complete HTML document (styles in a <style> element)."""
    from weasyprint import HTML  # imported late: loading Pango takes a moment
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return HTML(string=html, url_fetcher=fetcher, base_url="about:blank").write_pdf()
