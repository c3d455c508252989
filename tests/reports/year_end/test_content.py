"""The document's content kept as JSON: what a final report stores and prints again."""

import json
from decimal import Decimal

import pytest

from reports.year_end.content import CONTENT_VERSION, Document
from tests.reports.year_end.documents import document


def _stored(doc: Document) -> dict:
    """As the database gives it back: through JSON text."""
    return json.loads(json.dumps(doc.to_json()))


def test_a_document_comes_back_from_json_exactly():
    doc = document()
    again = Document.from_json(_stored(doc))
    assert again == doc
    decimals = [
        cell
        for chapter in again.chapters
        for section in chapter.sections
        for block in section.blocks
        if hasattr(block, "table") or hasattr(block, "chart")
        for row in (block.table if hasattr(block, "table") else block.chart.table).rows
        for cell in row.cells
        if isinstance(cell, Decimal)
    ]
    assert decimals  # percentages stay Decimals: 5,83 % is not printed as 5,8299999


def test_a_document_stored_in_another_shape_is_refused_not_misread():
    stored = _stored(document())
    stored["version"] = CONTENT_VERSION + 1
    with pytest.raises(ValueError, match="content version"):
        Document.from_json(stored)
