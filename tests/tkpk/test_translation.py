"""Messages made in one language and shown in another (tkpk/translation.py)."""

from django.utils import translation

from tkpk.translation import Message, message_text, one_language, shorten


def test_a_message_is_its_text_and_can_be_made_again_in_another_language():
    with translation.override("id"):
        message = Message("Period %(period)s · uploaded %(when)s by %(who)s") % {
            "period": "2025-Q3",
            "when": "1 Okt",
            "who": "sekretariat",
        }
    assert message == "Periode 2025-Q3 · diunggah 1 Okt oleh sekretariat"

    with translation.override("en"):
        again = Message.from_json(message.as_json())
    assert again == "Period 2025-Q3 · uploaded 1 Okt by sekretariat"


def test_a_message_inside_a_message_is_translated_with_it():
    inner = Message("national %(national)s, provincial %(provincial)s, regency %(regency)s") % {
        "national": 3,
        "provincial": "–",
        "regency": 5,
    }
    outer = Message(
        "household %(kk)s has desil %(desil)s in row %(row)d, which is used; "
        "the desil of this row is ignored"
    ) % {"kk": "6302", "desil": inner, "row": 2}

    with translation.override("en"):
        assert "has desil national 3, provincial –, regency 5 in row 2" in message_text(
            outer.as_json()
        )


def test_text_stored_before_messages_were_kept_shows_as_it_was():
    assert message_text({"text": "Gagal."}) == "Gagal."
    assert message_text({}) == ""


def test_a_quoted_cell_is_cut_to_one_line():
    message = Message("%(value)r is not a date: write YYYY-MM-DD or DD-MM-YYYY") % {
        "value": "x" * 40_000
    }
    assert len(message) < 300 and message.params["value"].endswith("…")
    assert shorten("pendek") == "pendek"


def test_one_language_makes_messages_in_that_language_whatever_is_active():
    with translation.override("en"), one_language("id"):
        assert Message("Interrupted") == "Terputus"
    with translation.override("en"):
        assert Message("Interrupted") == "Interrupted"
