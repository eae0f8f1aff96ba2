"""The columns of the spreadsheet import, and how each cell is read.

The same labels head the template, name the column in every message ("Row 12, Postcode: 'LS99 XX' is
not a postcode") and are explained on the template's Guidance sheet, so a person meets one name for
each column. Readers take the text of a cell and return a value, or raise ``CellError`` with a message
written for the person who typed it.
"""

import re
from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from ..models import WEEKDAYS, FundingKind, Gender


class CellError(ValueError):
    """What is wrong with one cell, in words for the person who typed it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    guidance: str
    allowed: str = ""
    example: str = ""
    required: bool = False
    # Offered as a drop-down list in the Excel template.
    choices: tuple[str, ...] = ()
    width: int = 22


YES_NO = ("yes", "no")
YES_NO_ALLOWED = "yes or no. Blank means no."
SEPARATED = 'Separate several with a semicolon (";").'

FUNDING_KINDS = {
    "contracted": FundingKind.CONTRACTED,
    "pooled": FundingKind.POOLED,
    "other": FundingKind.OTHER,
    "no direct cost": FundingKind.NO_DIRECT_COST,
}
GENDERS = {"anyone": Gender.ANY, "women": Gender.WOMEN, "men": Gender.MEN}

COLUMNS = [
    Column(
        "external_id", "External ID",
        "Your own reference for the service. Every row needs a different one, and it must stay the same each "
        "time you import the file: that is how Pathways knows to update the service rather than add it again.",
        "Up to 200 letters, numbers and signs.", "AVRT-001", required=True, width=14,
    ),
    Column(
        "organisation", "Organisation",
        "The organisation that runs the service, as it is named in Pathways. A manager imports only for their "
        "own organisation and may leave this blank. A curator may name an organisation that is not in "
        "Pathways yet: it is added as a voluntary organisation or charity.",
        "The organisation's name.", "Aire Valley Resettlement Trust", width=30,
    ),
    Column("name", "Service name", "What the service is called.", "Up to 200 characters.",
           "Housing advice drop-in", required=True, width=30),
    Column("description", "Description", "What the service does, in plain words.", "Any text.",
           "Advice on finding and keeping a home, for anyone leaving prison.", width=40),
    Column("url", "Website", "The service's web page.", "A web address.", "https://www.example.org/housing"),
    Column("email", "Email", "An email address for the service.", "An email address.", "housing@example.org"),
    Column("phone", "Phone", "A phone number for the service.", "A phone number.", "0113 496 0000", width=16),
    Column("pathways", "Pathways", "The resettlement pathways the service works on.",
           f"Names or codes from the Lists sheet. {SEPARATED}", "Accommodation; Finance, benefit and debt"),
    Column("categories", "Categories", "What kind of service it is.",
           f"Names or codes from the Lists sheet. {SEPARATED}", "Advice; Housing"),
    Column("client_groups", "Client groups", "Groups of people the service is for.",
           f"Names or codes from the Lists sheet. {SEPARATED}", "Women; Care leavers"),
    Column("areas", "Areas served", "Local authorities, probation areas and delivery units, and prisons served.",
           f"Names from the Lists sheet. Where two places share a name, add the kind in brackets, like "
           f"'Leeds (Local authority)'. {SEPARATED}", "Leeds (Local authority); HMP Leeds"),
    Column("in_custody", "Custody", "Works with people in prison.", YES_NO_ALLOWED, "yes", choices=YES_NO, width=12),
    Column("in_community", "Community", "Works with people in the community.", YES_NO_ALLOWED, "yes",
           choices=YES_NO, width=12),
    Column("through_the_gate", "Through the gate", "Carries on with the person from prison into the community.",
           YES_NO_ALLOWED, "no", choices=YES_NO, width=12),
    Column("eligibility", "Eligibility", "Who can use the service and who cannot, in plain words.", "Any text.",
           "Anyone aged 18 or over with a conviction, living in Leeds.", width=40),
    Column("minimum_age", "Minimum age", "The youngest age the service works with.",
           "A whole number from 0 to 120, or blank.", "18", width=10),
    Column("maximum_age", "Maximum age", "The oldest age the service works with.",
           "A whole number from 0 to 120, or blank.", "", width=10),
    Column("gender", "Gender", "Who the service is for.", "anyone, women or men. Blank means anyone.", "anyone",
           choices=tuple(GENDERS), width=10),
    Column("self_referral", "Self-referral", "People can refer themselves.", YES_NO_ALLOWED, "yes",
           choices=YES_NO, width=12),
    Column("agency_referral", "Agency referral", "Any agency can refer someone.", YES_NO_ALLOWED, "yes",
           choices=YES_NO, width=12),
    Column("statutory_referral_only", "Statutory referral only",
           "Only a prison, probation or another statutory service can refer.",
           f"{YES_NO_ALLOWED} It cannot be yes when self-referral or agency referral is yes.", "no",
           choices=YES_NO, width=12),
    Column("referral_details", "Referral details", "How to refer, in plain words.", "Any text.",
           "Call or drop in; agencies can email the referral form.", width=40),
    Column("is_free", "Free", "The service costs the person nothing.", "yes or no. Blank means yes.", "yes",
           choices=YES_NO, width=10),
    Column("fees", "Fees", "Any cost to the person, in plain words.", "Any text.", "", width=30),
    Column("languages", "Languages", "Languages the service works in.", f"Language names. {SEPARATED}",
           "English; Polish; Urdu"),
    Column("peer_led", "Peer-led", "Led or delivered by people with lived experience.", YES_NO_ALLOWED, "no",
           choices=YES_NO, width=10),
    Column("capacity", "Capacity", "How many people the service can work with.", "Up to 200 characters.",
           "40 people a year"),
    Column("typical_wait_days", "Typical wait (days)", "How long people usually wait to start, in days.",
           "A whole number from 0 to 365, or blank.", "7", width=12),
    Column("location_name", "Location name",
           "Where people can go. A location is found again by its name and postcode, so a second service at "
           "the same place shares it. Leave the location columns blank for a service with no place to visit.",
           "Up to 200 characters. Needed if the address, town or postcode is given.", "Aire Valley hub", width=26),
    Column("address", "Address", "The street address of the location.", "Up to 200 characters.",
           "14 Kirkstall Road", width=26),
    Column("town", "Town", "The town or city of the location.", "Up to 100 characters.", "Leeds", width=16),
    Column("postcode", "Postcode", "The postcode of the location.", "A UK postcode.", "LS1 4RT", width=12),
    Column("drop_in_times", "Drop-in times",
           "When people can turn up without an appointment, each week.",
           'Days and times, like "Mon 10:00-12:00; Thu 14:00-16:00" or "Mon-Fri 09:30-12:30". '
           "Use the 24-hour clock.", "Mon 10:00-12:00; Thu 14:00-16:00", width=30),
    Column("opening_times", "Opening times", "When the service is open, each week.",
           'Days and times, like "Mon-Fri 09:00-17:00; Sat 10:00-13:00". Use the 24-hour clock.',
           "Mon-Fri 09:00-17:00", width=30),
    Column("contact_name", "Contact name", "A person to contact about the service.", "Up to 200 characters.",
           "Sam Patel"),
    Column("contact_email", "Contact email", "The contact's email address.", "An email address.",
           "sam.patel@example.org"),
    Column("contact_phone", "Contact phone", "The contact's phone number.", "A phone number.", "07700 900123",
           width=16),
    Column("funding_kind", "Funding kind", "How the service is paid for.",
           "contracted (directly by a prison or probation service), pooled (a pooled budget such as Supporting "
           "People or a drug action team), other (such as ESF or SRB) or no direct cost (to the statutory "
           "services). Needed if a funder or stream is given.",
           "contracted", choices=tuple(FUNDING_KINDS), width=16),
    Column("funder", "Funder", "Who pays for the service. If the funder is in Pathways, use its name there.",
           "Up to 200 characters.", "HMP Leeds"),
    Column("funding_stream", "Funding stream", "The programme or fund.", "Up to 200 characters.",
           "Resettlement services"),
    Column("publish", "Publish", "Whether the service is shown in the public directory.",
           "yes or no. Blank keeps a service as it is; a new one stays a draft. No takes a published service "
           "out of the directory.", "yes", choices=YES_NO, width=10),
]

COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# Columns read together: the location, the contact and the funding of a service.
LOCATION_KEYS = ("location_name", "address", "town", "postcode")
CONTACT_KEYS = ("contact_name", "contact_email", "contact_phone")
FUNDING_KEYS = ("funding_kind", "funder", "funding_stream")
# Taxonomy columns: the vocabulary each is read from.
VOCABULARY_COLUMNS = {"pathways": "pathways", "categories": "service-categories", "client_groups": "client-groups"}


def label_of(key: str) -> str:
    return COLUMN_BY_KEY[key].label


def heading_key(heading: str) -> str:
    """How a heading is matched to a column: case, spacing and a trailing '*' do not matter."""
    return " ".join(str(heading).replace("*", " ").split()).lower()


KEY_BY_HEADING = {heading_key(column.label): column.key for column in COLUMNS}


# Readers ---------------------------------------------------------------------------------------------

def quoted(text: str) -> str:
    return "'" + text.replace("\n", " ") + "'"


def read_text(text: str, *, max_length: int | None = None) -> str:
    text = text.strip()
    if max_length is not None and len(text) > max_length:
        raise CellError(f"{len(text):,} characters is too long: the most is {max_length:,}")
    return text


_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


def read_yes_no(text: str) -> bool | None:
    """True or False, or None for a blank cell."""
    word = text.strip().lower()
    if not word:
        return None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellError(f"{quoted(text.strip())} is not yes or no")


def read_whole_number(text: str, *, lowest: int, highest: int) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise CellError(f"{quoted(text)} is not a whole number from {lowest} to {highest}")
    number = int(text)
    if not lowest <= number <= highest:
        raise CellError(f"{number} is not a whole number from {lowest} to {highest}")
    return number


def read_list(text: str) -> list[str]:
    """The items of a semicolon-separated cell, in order, without blanks or repeats."""
    items: list[str] = []
    for item in re.split(r"[;\n]", text):
        item = " ".join(item.split())
        if item and item.lower() not in {seen.lower() for seen in items}:
            items.append(item)
    return items


_url_validator = URLValidator(schemes=["http", "https"])


def read_url(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    url = text if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE) else f"https://{text}"
    try:
        _url_validator(url)
    except ValidationError:
        raise CellError(f"{quoted(text)} is not a web address, like https://www.example.org") from None
    if len(url) > 200:
        raise CellError(f"{len(url):,} characters is too long: the most is 200")
    return url


_email_validator = EmailValidator()


def read_email(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        _email_validator(text)
    except ValidationError:
        raise CellError(f"{quoted(text)} is not an email address, like name@example.org") from None
    if len(text) > 254:
        raise CellError(f"{len(text):,} characters is too long: the most is 254")
    return text


def read_phone(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    digits = re.sub(r"\D", "", text)
    if not re.fullmatch(r"[0-9 +()\-]+", text) or not 3 <= len(digits) <= 15 or len(text) > 30:
        raise CellError(f"{quoted(text)} is not a phone number, like 0113 496 0000")
    return text


# A UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRV-Y]))"
    r"([0-9][ABD-HJLNP-UW-Z]{2})$"
)


def read_postcode(text: str) -> str:
    """'ls1 4ap' -> 'LS1 4AP'. If the person put a space in, it must be before the last three characters."""
    written = " ".join(text.split()).upper()
    if not written:
        return ""
    compact = written.replace(" ", "")
    match = _POSTCODE.match(compact)
    if match is None or (" " in written and written != f"{match[1]} {match[2]}"):
        raise CellError(f"{quoted(text.strip())} is not a postcode")
    return f"{match[1]} {match[2]}" if compact != "GIR0AA" else "GIR 0AA"


def read_gender(text: str) -> str:
    word = text.strip().lower()
    aliases = {"": "anyone", "any": "anyone", "all": "anyone", "everyone": "anyone", "woman": "women",
               "female": "women", "man": "men", "male": "men"}
    word = aliases.get(word, word)
    if word not in GENDERS:
        raise CellError(f"{quoted(text.strip())} is not one of: anyone, women, men")
    return GENDERS[word].value


def read_funding_kind(text: str) -> str | None:
    word = " ".join(text.strip().lower().replace("_", " ").split())
    if not word:
        return None
    if word in FUNDING_KINDS:
        return FUNDING_KINDS[word].value
    for kind in FundingKind:
        if word in {kind.value.replace("_", " "), kind.label.lower()}:
            return kind.value
    raise CellError(f"{quoted(text.strip())} is not one of: {', '.join(FUNDING_KINDS)}")


def funding_kind_word(kind: str) -> str:
    """The word the template uses for a funding kind: 'no direct cost' for no_direct_cost."""
    return next((word for word, value in FUNDING_KINDS.items() if value == kind), kind)


# Times -----------------------------------------------------------------------------------------------

WEEKDAY_CODES = [code for code, _ in WEEKDAYS]
WEEKDAY_SHORT = dict(zip(WEEKDAY_CODES, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], strict=True))
_DAY_NAMES = {
    "MO": ("mon", "monday", "mo"), "TU": ("tue", "tues", "tuesday", "tu"),
    "WE": ("wed", "weds", "wednesday", "we"), "TH": ("thu", "thur", "thurs", "thursday", "th"),
    "FR": ("fri", "friday", "fr"), "SA": ("sat", "saturday", "sa"), "SU": ("sun", "sunday", "su"),
}
DAY_BY_NAME = {name: code for code, names in _DAY_NAMES.items() for name in names}
_TIME = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
_TIME_RANGE = re.compile(rf"^(?P<days>.*?)\s*(?P<opens>{_TIME})\s*(?:-|–|—|to)\s*(?P<closes>{_TIME})$", re.IGNORECASE)
TIMES_EXAMPLE = "Mon 10:00-12:00"


def _clock(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", text.strip().lower())
    if match is None:
        raise ValueError(text)
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(text)
    return time(hour, minute)


def _days(text: str) -> list[str]:
    days: list[str] = []
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", text.strip().lower()):
        if not part:
            raise ValueError(text)
        ends = re.split(r"\s*(?:-|–|—|\bto\b)\s*", part)
        if len(ends) == 1:
            days.append(DAY_BY_NAME[ends[0].rstrip(".")])
        elif len(ends) == 2:
            first = WEEKDAY_CODES.index(DAY_BY_NAME[ends[0].rstrip(".")])
            last = WEEKDAY_CODES.index(DAY_BY_NAME[ends[1].rstrip(".")])
            span = (last - first) % 7
            days += [WEEKDAY_CODES[(first + step) % 7] for step in range(span + 1)]
        else:
            raise ValueError(text)
    return days


def read_times(text: str) -> list[tuple[str, time, time]]:
    """'Mon-Fri 09:00-17:00; Sat 10:00-13:00' -> [(weekday code, opens, closes), ...] in weekday order."""
    times: set[tuple[str, time, time]] = set()
    for entry in read_list(text):
        match = _TIME_RANGE.match(entry)
        if match is None or not match["days"].strip():
            raise CellError(f"{quoted(entry)} is not a day and times, like '{TIMES_EXAMPLE}'")
        try:
            days = _days(match["days"])
        except (KeyError, ValueError):
            raise CellError(
                f"{quoted(entry)} does not start with a day, like Mon, Tuesday or Mon-Fri"
            ) from None
        try:
            opens, closes = _clock(match["opens"]), _clock(match["closes"])
        except ValueError:
            raise CellError(f"{quoted(entry)} has a time that is not on the 24-hour clock, like 09:30 or 14:00") from None
        if closes <= opens:
            raise CellError(f"{quoted(entry)} closes before it opens")
        times.update((day, opens, closes) for day in days)
    return sorted(times, key=lambda item: (WEEKDAY_CODES.index(item[0]), item[1], item[2]))


def times_text(times) -> str:
    """The canonical way times are shown: 'Mon 10:00-12:00; Thu 14:00-16:00'."""
    ordered = sorted(times, key=lambda item: (WEEKDAY_CODES.index(item[0]), item[1], item[2]))
    return "; ".join(f"{WEEKDAY_SHORT[day]} {opens:%H:%M}-{closes:%H:%M}" for day, opens, closes in ordered)
