"""Messages that are made in one language and shown later in another.

A DTSEN load checks its rows in the language of the installation and stores what it
found; the page shows it to whoever opens it, in their language. A `Message` is the text
as made, plus what is needed to make it again: its msgid and parameters.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.utils.translation import gettext, trans_real

# How a Message finds its text: the active language's catalog, unless one_language() says.
_translate: Callable[[str], str] = gettext


@contextmanager
def one_language(language: str) -> Iterator[None]:
    """Make Messages in `language` without asking for the active language each time.

    For a process that makes millions of messages in one language (the DTSEN reader
    child): Django's gettext looks the active language up per call, which costs more
    than checking the row the message is about.
    """
    global _translate
    catalog = trans_real.translation(language)
    known: dict[str, str] = {}

    def translate(msgid: str) -> str:
        try:
            return known[msgid]
        except KeyError:
            text = known[msgid] = catalog.gettext(msgid)
            return text

    previous, _translate = _translate, translate
    try:
        yield
    finally:
        _translate = previous


class Message(str):
    """A translated message that can be translated again: `Message("%(n)d rows") % {"n": 2}`.

    It is a str (the text in the language active when it was made), so it prints, joins
    and compares as text; `as_json()` and `from_json()` carry it to another language.
    """

    msgid: str
    params: dict | None

    def __new__(cls, msgid: str, params: dict | None = None) -> "Message":
        text = _translate(msgid)
        if params is not None:
            text %= params
        message = super().__new__(cls, text)
        message.msgid, message.params = msgid, params
        return message

    def __mod__(self, params: dict) -> "Message":
        """Fill in the parameters of the text already translated (no second lookup)."""
        params = {key: _plain(value) for key, value in params.items()}
        return _restore(str(self) % params, self.msgid, params)

    def __reduce__(self):
        return _restore, (str(self), self.msgid, self.params)

    def as_json(self) -> dict:
        params = self.params and {
            key: value.as_json() if isinstance(value, Message) else value
            for key, value in self.params.items()
        }
        return {"msgid": self.msgid, "params": params}

    @classmethod
    def from_json(cls, data: dict) -> "Message":
        """The message in the language active now."""
        params = data.get("params")
        if params:
            params = {
                key: cls.from_json(value) if isinstance(value, dict) else value
                for key, value in params.items()
            }
        return cls(data["msgid"], params)


# A message is one line: a parameter quoting a cell of 30,000 characters is cut.
PARAMETER_LENGTH = 120


def _plain(value):
    """A parameter JSON can hold: numbers and messages stay, anything else becomes text."""
    if isinstance(value, Message | int | float) or value is None:
        return value
    return shorten(str(value))


def shorten(text: str) -> str:
    """`text`, cut to PARAMETER_LENGTH characters."""
    return text if len(text) <= PARAMETER_LENGTH else text[: PARAMETER_LENGTH - 1] + "…"


def _restore(text: str, msgid: str, params: dict | None) -> Message:
    message = str.__new__(Message, text)
    message.msgid, message.params = msgid, params
    return message


def message_text(data) -> str:
    """A message as stored (JSON or plain text from before), in the language active now."""
    if isinstance(data, dict):
        return Message.from_json(data) if "msgid" in data else data.get("text", "")
    return data or ""
