"""Messages that are made in one language and shown later in another.

A DTSEN load checks its rows in the language of the installation and stores what it
found; the page shows it to whoever opens it, in their language. A `Message` is the text
as made, plus what is needed to make it again: its msgid and parameters.
"""

from django.utils.translation import gettext


class Message(str):
    """A translated message that can be translated again: `Message("%(n)d rows") % {"n": 2}`.

    It is a str (the text in the language active when it was made), so it prints, joins
    and compares as text; `as_json()` and `from_json()` carry it to another language.
    """

    msgid: str
    params: dict | None

    def __new__(cls, msgid: str, params: dict | None = None) -> "Message":
        text = gettext(msgid)
        if params is not None:
            text %= params
        message = super().__new__(cls, text)
        message.msgid, message.params = msgid, params
        return message

    def __mod__(self, params: dict) -> "Message":
        return Message(self.msgid, {key: _plain(value) for key, value in params.items()})

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


def _plain(value):
    """A parameter JSON can hold: numbers and messages stay, anything else becomes text."""
    if isinstance(value, Message | int | float) or value is None:
        return value
    return str(value)


def _restore(text: str, msgid: str, params: dict | None) -> Message:
    message = str.__new__(Message, text)
    message.msgid, message.params = msgid, params
    return message


def message_text(data) -> str:
    """A message as stored (JSON or plain text from before), in the language active now."""
    if isinstance(data, dict):
        return Message.from_json(data) if "msgid" in data else data.get("text", "")
    return data or ""
