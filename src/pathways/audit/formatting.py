"""An entry's ``changes`` in words, for the trail page and the CSV export.

By convention a two-item list is a change, ``[before, after]`` (see ``changes_between``); any other value
is a fact about the action, such as the number of rows exported.
"""

from dataclasses import dataclass

BLANK = "(blank)"


@dataclass(frozen=True)
class ChangeLine:
    field: str
    value: str = ""  # for a fact
    before: str = ""  # for a change
    after: str = ""
    is_change: bool = False

    def __str__(self):
        if self.is_change:
            return f"{self.field}: {self.before} → {self.after}"
        return f"{self.field}: {self.value}"


def value_text(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return BLANK
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(value_text(item) for item in value)
    return str(value)


def field_label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def change_lines(changes: dict) -> list[ChangeLine]:
    lines = []
    for key, value in (changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            lines.append(
                ChangeLine(field_label(key), before=value_text(value[0]), after=value_text(value[1]), is_change=True)
            )
        else:
            lines.append(ChangeLine(field_label(key), value=value_text(value)))
    return lines


def changes_text(changes: dict) -> str:
    """All the lines on one line, for a spreadsheet cell."""
    return "; ".join(str(line) for line in change_lines(changes))
