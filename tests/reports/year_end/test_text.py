"""The narratives' simple formatting: one parser for the preview, the PDF and the .docx."""

from hypothesis import given
from hypothesis import strategies as st

from reports.year_end.text import Paragraph, ParagraphKind, Run, paragraphs, runs, text_html


def test_blank_line_separates_paragraphs_and_single_newline_breaks_the_line():
    found = paragraphs("Rakor pertama.\nDi Kotabaru.\n\n  \nRakor kedua.")

    assert found == [
        Paragraph(ParagraphKind.PARAGRAPH, (Run("Rakor pertama.\nDi Kotabaru."),)),
        Paragraph(ParagraphKind.PARAGRAPH, (Run("Rakor kedua."),)),
    ]


def test_windows_line_ends_read_like_unix_ones():
    assert paragraphs("a\r\n\r\nb") == paragraphs("a\n\nb")


def test_dash_and_star_lines_are_bullets_numbers_are_kept_as_written():
    found = paragraphs(
        "Masalah:\n- data ganda\n* anggaran terlambat\n\n1. sinkronkan NIK\n3. rapat"
    )

    assert [(p.kind, p.number, p.plain) for p in found] == [
        (ParagraphKind.PARAGRAPH, None, "Masalah:"),
        (ParagraphKind.BULLET, None, "data ganda"),
        (ParagraphKind.BULLET, None, "anggaran terlambat"),
        (ParagraphKind.NUMBERED, 1, "sinkronkan NIK"),
        (ParagraphKind.NUMBERED, 3, "rapat"),
    ]


def test_an_indented_line_after_an_item_continues_it():
    (item,) = paragraphs("- satu\n  lanjutan")

    assert item.plain == "satu\nlanjutan"


def test_a_sentence_typed_right_under_a_list_is_a_paragraph_of_its_own():
    found = paragraphs("- a\n- b\nKalimat penutup.")

    assert [(p.kind, p.plain) for p in found] == [
        (ParagraphKind.BULLET, "a"),
        (ParagraphKind.BULLET, "b"),
        (ParagraphKind.PARAGRAPH, "Kalimat penutup."),
    ]


def test_lists_pasted_from_word_keep_their_bullets_and_numbers():
    found = paragraphs("•\tdata ganda\n– anggaran\n1) sinkronkan NIK")

    assert [(p.kind, p.number, p.plain) for p in found] == [
        (ParagraphKind.BULLET, None, "data ganda"),
        (ParagraphKind.BULLET, None, "anggaran"),
        (ParagraphKind.NUMBERED, 1, "sinkronkan NIK"),
    ]


def test_a_dash_without_text_a_negative_number_and_a_year_are_plain_text():
    found = paragraphs("-5 derajat\n\n-\n\n2025. Tahun yang berat")

    assert [p.kind for p in found] == [ParagraphKind.PARAGRAPH] * 3
    assert [p.plain for p in found] == ["-5 derajat", "-", "2025. Tahun yang berat"]


def test_bold_and_italic_runs():
    assert runs("a **tebal** dan *miring*, ***keduanya***") == (
        Run("a "),
        Run("tebal", bold=True),
        Run(" dan "),
        Run("miring", italic=True),
        Run(", "),
        Run("keduanya", bold=True, italic=True),
    )


def test_bold_spans_a_line_break():
    assert runs("**satu\ndua**") == (Run("satu\ndua", bold=True),)


def test_stars_that_open_or_close_nothing_stay_as_typed():
    assert runs("5 * 3 * 2") == (Run("5 * 3 * 2"),)
    assert runs("**tanpa akhir") == (Run("**tanpa akhir"),)
    assert runs("****") == (Run("****"),)


def test_empty_text_has_no_paragraphs():
    assert paragraphs("") == []
    assert paragraphs(" \n\n \n") == []
    assert text_html("") == ""


def test_html_escapes_everything_typed():
    html = text_html('<script>alert(1)</script>\n<img src="http://x.test/a.png"> & **b**')

    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>"
        "&lt;img src=&quot;http://x.test/a.png&quot;&gt; &amp; <strong>b</strong></p>"
    )


def test_html_groups_items_into_lists():
    html = text_html("Langkah:\n- *satu*\n- dua\n\n2. tiga\n\nAkhir.")

    assert html == (
        "<p>Langkah:</p><ul><li><em>satu</em></li><li>dua</li></ul>"
        '<ol><li value="2">tiga</li></ol><p>Akhir.</p>'
    )


@given(st.text(alphabet=st.sampled_from("ab *-1.\n<&"), max_size=60))
def test_any_text_parses_into_nonempty_runs_keeping_its_letters(text):
    found = paragraphs(text)

    assert all(run.text for p in found for run in p.runs)
    letters = "".join(c for c in text if c in "ab<&")
    assert "".join(c for p in found for c in p.plain if c in "ab<&") == letters


def test_a_line_break_pasted_from_word_breaks_the_line_and_control_characters_vanish():
    assert paragraphs("satu\vdua\x00\x07") == [
        Paragraph(ParagraphKind.PARAGRAPH, (Run("satu\ndua"),))
    ]
