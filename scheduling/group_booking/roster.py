"""Roster input: parse and validate the workers of a group booking (form, CSV or XLSX).

Everything is checked before anything is written: the result is either a full list of
``RosterWorker`` or a ``ValidationFailed`` carrying every error with its row and field.
Columns are documented in ``docs/roster.md``.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed
from scheduling.models import Client, Municipality

REQUIRED_COLUMNS = (
    "first_name",
    "last_name",
    "birth_date",
    "nationality",
    "expected_stay_months",
    "municipality_of_residence",
)
OPTIONAL_COLUMNS = (
    "language",
    "email",
    "phone",
    "interpreter_needed",
    "temporary_protection",
    "works_under_dutch_social_security",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
TEMPLATE_EXAMPLE = {
    "first_name": "Piotr",
    "last_name": "Kowalski",
    "birth_date": "1990-05-17",
    "nationality": "PL",
    "expected_stay_months": "12",
    "municipality_of_residence": "GM0826",
    "language": "pl",
    "email": "",
    "phone": "",
    "interpreter_needed": "no",
    "temporary_protection": "no",
    "works_under_dutch_social_security": "yes",
}
_TRUE = {"1", "yes", "y", "true", "ja", "j", "x"}
_FALSE = {"0", "no", "n", "false", "nee", ""}
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


@dataclass
class RosterWorker:
    """One validated roster row. ``row`` is the line number the employer sees (header = 1)."""

    first_name: str
    last_name: str
    birth_date: dt.date
    nationality: str
    expected_stay_months: int
    municipality_of_residence: Municipality
    language: str = "en"
    email: str = ""
    phone: str = ""
    interpreter_needed: bool = False
    temporary_protection: bool = False
    works_under_dutch_social_security: bool = True
    row: int = 0

    @property
    def identity(self) -> tuple:
        return (self.first_name.casefold(), self.last_name.casefold(), self.birth_date)

    def as_client(self, *, employer) -> Client:
        """An unsaved client with this worker's facts (the package rule reads them)."""
        return Client(
            first_name=self.first_name,
            last_name=self.last_name,
            birth_date=self.birth_date,
            nationality=self.nationality,
            language=self.language,
            interpreter_needed=self.interpreter_needed,
            expected_stay_months=self.expected_stay_months,
            temporary_protection=self.temporary_protection,
            works_under_dutch_social_security=self.works_under_dutch_social_security,
            municipality_of_residence=self.municipality_of_residence,
            employer=employer,
            email=self.email,
            phone=self.phone,
        )


@dataclass
class RowError:
    row: int
    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "code": self.code, "message": self.message}


@dataclass
class _Collector:
    errors: list[RowError] = field(default_factory=list)

    def add(self, row: int, field_name: str, code: str, message: str) -> None:
        self.errors.append(RowError(row, field_name, code, str(message)))


def roster_fail(errors: list[RowError]) -> ValidationFailed:
    return ValidationFailed(
        _("The roster has %(count)d error(s); nothing was booked.") % {"count": len(errors)},
        code="roster_invalid",
        details={"rows": [e.as_dict() for e in errors]},
    )


def _municipality_index() -> dict[str, Municipality]:
    index = {}
    for muni in Municipality.objects.all():
        index[muni.cbs_code.upper()] = muni
        index[muni.name.casefold()] = muni
    return index


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def roster_validate_rows(
    rows: list[dict], *, first_row: int = 2, max_size: int | None = None
) -> list[RosterWorker]:
    """Validate dict rows (keys = column names). Raise ``ValidationFailed`` with every error."""
    errors = _Collector()
    max_size = max_size or settings.GROUP_BOOKING_MAX_SIZE
    if not rows:
        errors.add(0, "workers", "empty", _("The roster has no workers."))
        raise roster_fail(errors.errors)
    if len(rows) > max_size:
        errors.add(
            0,
            "workers",
            "too_many",
            _("A group booking holds at most %(max)d workers; this roster has %(count)d.")
            % {"max": max_size, "count": len(rows)},
        )
        raise roster_fail(errors.errors)
    municipalities = _municipality_index()
    languages = {code for code, _name in settings.LANGUAGES}
    today = timezone.localdate()
    workers: list[RosterWorker] = []
    seen: dict[tuple, int] = {}
    for offset, raw in enumerate(rows):
        row = first_row + offset
        values = {k: raw.get(k) for k in COLUMNS}
        before = len(errors.errors)
        for name in REQUIRED_COLUMNS:
            if _text(values[name]) == "" and not isinstance(values[name], dt.date):
                errors.add(row, name, "required", _("This field is required."))
        first_name, last_name = _text(values["first_name"]), _text(values["last_name"])
        for name, value in (("first_name", first_name), ("last_name", last_name)):
            if len(value) > 100:
                errors.add(row, name, "too_long", _("At most 100 characters."))
        birth_date = None
        if _text(values["birth_date"]) or isinstance(values["birth_date"], dt.date):
            birth_date = _parse_date(values["birth_date"])
            if birth_date is None:
                errors.add(
                    row, "birth_date", "invalid_date", _("Use a date like 1990-05-17 (YYYY-MM-DD).")
                )
            elif birth_date > today:
                errors.add(
                    row, "birth_date", "future_date", _("The birth date lies in the future.")
                )
        nationality = _text(values["nationality"]).upper()
        if nationality and (len(nationality) != 2 or not nationality.isalpha()):
            errors.add(
                row,
                "nationality",
                "invalid_country",
                _("Use the two-letter ISO country code, e.g. PL."),
            )
        stay = None
        if _text(values["expected_stay_months"]):
            try:
                stay = int(_text(values["expected_stay_months"]))
                if not 0 < stay <= 120:
                    raise ValueError
            except ValueError:
                errors.add(
                    row,
                    "expected_stay_months",
                    "invalid_number",
                    _("Give the expected stay as a whole number of months (1-120)."),
                )
        muni = None
        muni_text = _text(values["municipality_of_residence"])
        if muni_text:
            muni = municipalities.get(muni_text.upper()) or municipalities.get(muni_text.casefold())
            if muni is None:
                errors.add(
                    row,
                    "municipality_of_residence",
                    "unknown_municipality",
                    _("Unknown municipality %(value)s: give its CBS code (GM0826) or its name.")
                    % {"value": muni_text[:60]},
                )
        language = _text(values["language"]).lower() or "en"
        if language not in languages:
            errors.add(
                row,
                "language",
                "unknown_language",
                _("Unknown language %(value)s; use one of %(choices)s.")
                % {"value": language[:10], "choices": ", ".join(sorted(languages))},
            )
        flags = {}
        for name, default in (
            ("interpreter_needed", False),
            ("temporary_protection", False),
            ("works_under_dutch_social_security", True),
        ):
            text = _text(values[name]).lower()
            if text == "":
                flags[name] = default
            elif text in _TRUE:
                flags[name] = True
            elif text in _FALSE:
                flags[name] = False
            else:
                errors.add(row, name, "invalid_flag", _("Use yes or no."))
        email = _text(values["email"])
        if email and ("@" not in email or len(email) > 254 or " " in email):
            errors.add(row, "email", "invalid_email", _("Enter a valid e-mail address."))
        if len(errors.errors) > before:
            continue
        worker = RosterWorker(
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            nationality=nationality,
            expected_stay_months=stay,
            municipality_of_residence=muni,
            language=language,
            email=email,
            phone=_text(values["phone"])[:30],
            row=row,
            **flags,
        )
        if worker.identity in seen:
            errors.add(
                row,
                "first_name",
                "duplicate_worker",
                _("This worker already appears in row %(row)d.") % {"row": seen[worker.identity]},
            )
            continue
        seen[worker.identity] = row
        workers.append(worker)
    if errors.errors:
        raise roster_fail(errors.errors)
    return workers


def _check_header(header: list[str]) -> None:
    errors = _Collector()
    unknown = [h for h in header if h and h not in COLUMNS]
    for name in unknown:
        errors.add(1, name, "unknown_column", _("Unknown column %(name)s.") % {"name": name[:40]})
    for name in REQUIRED_COLUMNS:
        if name not in header:
            errors.add(1, name, "missing_column", _("Missing column %(name)s.") % {"name": name})
    if len(set(header)) != len(header):
        errors.add(1, "header", "duplicate_column", _("A column appears twice."))
    if errors.errors:
        raise roster_fail(errors.errors)


def _normalise_header(cells) -> list[str]:
    return [_text(c).lower().replace(" ", "_").lstrip("\ufeff") for c in cells]


def _rows_from_table(table: list[list]) -> list[dict]:
    if not table:
        raise roster_fail([RowError(1, "header", "empty", _("The file is empty."))])
    header = _normalise_header(table[0])
    while header and header[-1] == "":
        header.pop()
    _check_header(header)
    rows = []
    for cells in table[1:]:
        if all(_text(c) == "" for c in cells):
            rows.append(None)  # keep row numbers honest; dropped below
            continue
        rows.append({name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header)})
    # Trailing blank lines are ignored; blank lines in between are errors of their row.
    while rows and rows[-1] is None:
        rows.pop()
    return [r if r is not None else {} for r in rows]


def roster_parse_csv(content: bytes | str) -> list[RosterWorker]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise roster_fail(
                [RowError(1, "file", "encoding", _("Save the CSV file as UTF-8."))]
            ) from None
    sample = content[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    table = list(csv.reader(io.StringIO(content), delimiter=delimiter))
    return roster_validate_rows(_rows_from_table(table))


def roster_parse_xlsx(content: bytes) -> list[RosterWorker]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise roster_fail(
            [RowError(1, "file", "unreadable", _("This is not a readable .xlsx file."))]
        ) from None
    sheet = workbook.worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    return roster_validate_rows(_rows_from_table(table))


def roster_parse_upload(*, name: str, content: bytes) -> list[RosterWorker]:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return roster_parse_xlsx(content)
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        return roster_parse_csv(content)
    raise roster_fail([RowError(0, "file", "unsupported_file", _("Upload a .csv or .xlsx file."))])


def roster_template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow([TEMPLATE_EXAMPLE[c] for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def roster_template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "roster"
    sheet.append(list(COLUMNS))
    sheet.append([TEMPLATE_EXAMPLE[c] for c in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
