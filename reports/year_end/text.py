"""The simple formatting of the narratives the secretariat writes: the one parser of it.

A blank line separates paragraphs; a single newline inside a paragraph is a line break;
a line starting "- ", "* " or "• " is a bullet item, "1. " or "1) " a numbered item (an
indented line below continues it); `**bold**` and
`*italic*`. Everything else is literal text: HTML typed into a narrative is printed as
typed, never interpreted. The page preview (`text_html`), the PDF and the .docx all read
`paragraphs`, so the three cannot differ.
"""

import enum
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class ParagraphKind(enum.StrEnum):
    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    NUMBERED = "numbered"


@dataclass(frozen=True)
class Run:
    """Text in one style. A line break inside a paragraph is a "\\n" in `text`."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A paragraph or one list item; `number` is the number the writer gave a numbered item."""

    kind: ParagraphKind
    runs: tuple[Run, ...]
    number: int | None = None

    @property
    def plain(self) -> str:
        return "".join(run.text for run in self.runs)


# "•" and "–" too: lists pasted from Word keep their bullets as characters.
_BULLET = re.compile(r"(?:[-*–][ \t]+|•[ \t]*)(?=\S)")
# "1." and "1)"; not "2025. …": a year opens no list.
_NUMBERED = re.compile(r"(\d{1,3})[.)][ \t]+(?=\S)")
_BLANK = re.compile(r"\n[ \t]*\n")
_DELIMITER = re.compile(r"(\*\*|\*)")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs and list items of `text`, in order; [] for an empty text."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    # Word pastes a line break as a vertical tab; other control characters print as nothing.
    text = _CONTROL.sub("", text.replace("\v", "\n"))
    found: list[Paragraph] = []
    for block in _BLANK.split(text):
        found.extend(_block(block))
    return found


def _block(block: str) -> list[Paragraph]:
    """A block's items: a marker line starts an item; an indented line continues the last
    item, and any other line the paragraph it is in or, after a list item, a new one (a
    closing sentence typed right under a list is not part of its last item)."""
    items: list[tuple[ParagraphKind, int | None, list[str]]] = []
    for raw in block.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if bullet := _BULLET.match(line):
            items.append((ParagraphKind.BULLET, None, [line[bullet.end() :]]))
        elif numbered := _NUMBERED.match(line):
            number = int(numbered[1])
            items.append((ParagraphKind.NUMBERED, number, [line[numbered.end() :]]))
        elif items and (items[-1][0] == ParagraphKind.PARAGRAPH or raw[:1].isspace()):
            items[-1][2].append(line)
        else:
            items.append((ParagraphKind.PARAGRAPH, None, [line]))
    return [
        Paragraph(kind=kind, runs=runs("\n".join(lines)), number=number)
        for kind, number, lines in items
    ]


def runs(text: str) -> tuple[Run, ...]:
    """`text` cut into runs by its `**bold**` and `*italic*` marks.

    As in Markdown, a mark opens only before a non-space and closes only after one, so
    "5 * 3 * 2" stays as typed; a mark without its partner is literal text.
    """
    tokens = _DELIMITER.split(text)
    toggles = _paired(tokens)
    found: list[Run] = []
    bold = italic = False
    for i, piece in enumerate(tokens):
        if i in toggles:
            bold, italic = (not bold, italic) if piece == "**" else (bold, not italic)
        elif piece:
            if found and (found[-1].bold, found[-1].italic) == (bold, italic):
                found[-1] = Run(found[-1].text + piece, bold, italic)
            else:
                found.append(Run(piece, bold, italic))
    return tuple(found)


def _paired(tokens: list[str]) -> set[int]:
    """The positions of the delimiters that open or close a style (the others are text)."""
    open_at: dict[str, int] = {}
    toggles: set[int] = set()
    for i in range(1, len(tokens), 2):  # re.split puts the delimiters at odd positions
        mark = tokens[i]
        before = _neighbour(tokens, i, -1)
        after = _neighbour(tokens, i, +1)
        if (
            mark in open_at
            and before
            and not before.isspace()
            and _between(tokens, open_at[mark], i)
        ):
            toggles.update((open_at.pop(mark), i))
        elif mark not in open_at and after and not after.isspace():
            open_at[mark] = i
    return toggles


def _between(tokens: list[str], start: int, end: int) -> bool:
    """Whether text stands between two delimiters: "****" is text, not an empty bold."""
    return any(tokens[j] and j % 2 == 0 for j in range(start + 1, end))


def _neighbour(tokens: list[str], i: int, step: int) -> str:
    """The character next to delimiter `i`, or "" at either end of the text."""
    text = tokens[i + step] if 0 <= i + step < len(tokens) else ""
    if text:
        return text[-1] if step < 0 else text[0]
    # Two delimiters in a row ("***"): the neighbour is the other delimiter, not a space.
    return "*" if 0 <= i + 2 * step < len(tokens) else ""


def text_html(text: str) -> SafeString:
    """The narrative as HTML (<p>, <ul>/<ol>, <strong>, <em>, <br>), every character escaped."""
    parts: list[str] = []
    open_list = ""
    for paragraph in paragraphs(text):
        wanted = {ParagraphKind.BULLET: "ul", ParagraphKind.NUMBERED: "ol"}.get(paragraph.kind, "")
        if open_list and open_list != wanted:
            parts.append(f"</{open_list}>")
            open_list = ""
        if wanted and not open_list:
            parts.append(f"<{wanted}>")
            open_list = wanted
        inner = runs_html(paragraph.runs)
        if paragraph.kind == ParagraphKind.NUMBERED:
            parts.append(f'<li value="{paragraph.number}">{inner}</li>')
        elif wanted:
            parts.append(f"<li>{inner}</li>")
        else:
            parts.append(f"<p>{inner}</p>")
    if open_list:
        parts.append(f"</{open_list}>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text went through escape()


def runs_html(found: tuple[Run, ...]) -> str:
    html = []
    for run in found:
        piece = "<br>".join(escape(line) for line in run.text.split("\n"))
        if run.italic:
            piece = f"<em>{piece}</em>"
        if run.bold:
            piece = f"<strong>{piece}</strong>"
        html.append(piece)
    return "".join(html)
