"""Roster input: the workers of a group booking from a CSV or XLSX file, the portal form or
the API's JSON. One worker is checked by ``RosterRowForm`` whatever he came from, so every entry
point gives the same errors; ``roster_workers_check`` checks the roster as a whole.

Everything is checked before anything is written: the result is either a full list of
``RosterWorker`` or a ``ValidationFailed`` carrying every error with its row, field and code.
Columns are documented in ``docs/roster.md``.
"""

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree  # noqa: S405 - zip members of an .xlsx, no DTDs expanded

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ValidationFailed
from core.exports import Table, table_csv, table_xlsx
from scheduling.errors import SchedulingError
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
    "self_employed",
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
    "self_employed": "no",
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
    self_employed: bool = False
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
            self_employed=self.self_employed,
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


def roster_fail(errors: list[RowError]) -> ValidationFailed:
    return ValidationFailed(
        _("The roster has %(count)d error(s); nothing was booked.") % {"count": len(errors)},
        code=SchedulingError.ROSTER_INVALID,
        details={"rows": [e.as_dict() for e in errors]},
    )


def _text(value) -> str:
    """A cell as the employer sees it: stripped, Excel's whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class MunicipalityIndex:
    """Municipalities by CBS code and by name, read in one query on first use and shared by
    the rows of one roster."""

    def __init__(self) -> None:
        self._index: dict[str, Municipality] | None = None

    def find(self, text: str) -> Municipality | None:
        if self._index is None:
            self._index = {}
            for muni in Municipality.objects.all():
                self._index[muni.cbs_code.upper()] = muni
                self._index[muni.name.casefold()] = muni
        return self._index.get(text.upper()) or self._index.get(text.casefold())

    def choices(self) -> list[tuple[str, str]]:
        """(CBS code, name) of every municipality, sorted by name, for a dropdown."""
        self.find("")
        unique = {muni.cbs_code: muni for muni in self._index.values()}
        return sorted(
            ((code, muni.name) for code, muni in unique.items()),
            key=lambda choice: choice[1].casefold().lstrip("'"),
        )


# --- the fields of one row: each turns a cell into a value or an error with a stable code ---


class RosterTextField(forms.Field):
    """Text as the employer typed it."""

    def to_python(self, value) -> str:
        return _text(value)


class RosterNameField(RosterTextField):
    """A first or last name: at most 100 characters (code ``too_long``), no control or
    formatting characters such as a newline or a right-to-left override (``name_invalid``)."""

    max_length = 100

    def validate(self, value) -> None:
        super().validate(value)
        if len(value) > self.max_length:
            raise ValidationError(_("At most 100 characters."), code=SchedulingError.TOO_LONG)
        if any(unicodedata.category(char) in ("Cc", "Cf") for char in value):
            raise ValidationError(
                _("A name cannot hold control characters."), code=SchedulingError.NAME_INVALID
            )

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "maxlength": str(self.max_length)}


class RosterDateField(forms.Field):
    """A birth date: ``YYYY-MM-DD``, ``DD-MM-YYYY``, ``DD/MM/YYYY`` or an Excel date."""

    def to_python(self, value) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if not text:
            return None
        for fmt in _DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
            except ValueError:
                continue
        raise ValidationError(
            _("Use a date like 1990-05-17 (YYYY-MM-DD)."), code=SchedulingError.INVALID_DATE
        )

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and value > timezone.localdate():
            raise ValidationError(
                _("The birth date lies in the future."), code=SchedulingError.FUTURE_DATE
            )


class RosterCountryField(RosterTextField):
    """An ISO 3166 two-letter country code, upper case."""

    def to_python(self, value) -> str:
        return _text(value).upper()

    def validate(self, value) -> None:
        super().validate(value)
        if value and (len(value) != 2 or not value.isalpha()):
            raise ValidationError(
                _("Use the two-letter ISO country code, e.g. PL."),
                code=SchedulingError.INVALID_COUNTRY,
            )


class RosterStayField(forms.Field):
    """The expected stay: a whole number of months, 1-120."""

    def to_python(self, value) -> int | None:
        text = _text(value)
        if not text:
            return None
        try:
            months = int(text)
        except ValueError:
            months = 0
        if not 0 < months <= 120:
            raise ValidationError(
                _("Give the expected stay as a whole number of months (1-120)."),
                code=SchedulingError.INVALID_NUMBER,
            )
        return months


class RosterMunicipalityField(forms.Field):
    """A municipality by CBS code (GM0826) or name; ``index`` is set by the form."""

    index: MunicipalityIndex

    def to_python(self, value) -> Municipality | None:
        text = _text(value)
        if not text:
            return None
        muni = self.index.find(text)
        if muni is None:
            raise ValidationError(
                _("Unknown municipality %(value)s: give its CBS code (GM0826) or its name.")
                % {"value": text[:60]},
                code=SchedulingError.UNKNOWN_MUNICIPALITY,
            )
        return muni


class RosterLanguageField(forms.Field):
    """One of the site's languages (``settings.LANGUAGES``); empty means English."""

    def to_python(self, value) -> str:
        return _text(value).lower()

    def clean(self, value) -> str:
        language = super().clean(value) or "en"
        languages = {code for code, _name in settings.LANGUAGES}
        if language not in languages:
            raise ValidationError(
                _("Unknown language %(value)s; use one of %(choices)s.")
                % {"value": language[:10], "choices": ", ".join(sorted(languages))},
                code=SchedulingError.UNKNOWN_LANGUAGE,
            )
        return language


class RosterEmailField(forms.Field):
    """The worker's own e-mail address, checked by Django's ``EmailValidator``."""

    max_length = 254
    default_validators = [
        EmailValidator(
            message=gettext_lazy("Enter a valid e-mail address."),
            code=SchedulingError.INVALID_EMAIL,
        )
    ]

    def to_python(self, value) -> str:
        return _text(value)

    def validate(self, value) -> None:
        super().validate(value)
        if len(value) > self.max_length:
            raise ValidationError(
                _("Enter a valid e-mail address."), code=SchedulingError.INVALID_EMAIL
            )

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "maxlength": str(self.max_length)}


class RosterFlagField(forms.Field):
    """yes/no (also ja/nee, 1/0, true/false, x); empty means ``default``."""

    def __init__(self, *, default: bool, **kwargs):
        self.default = default
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> str:
        return _text(value).lower()

    def clean(self, value) -> bool:
        text = super().clean(value)
        if text == "":
            return self.default
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValidationError(_("Use yes or no."), code=SchedulingError.INVALID_FLAG)

    def has_changed(self, initial, data) -> bool:
        """Compared as yes/no, so a ticked box whose default is yes is no change (the portal
        tells typed workers from untouched rows by this)."""
        try:
            value = self.clean(data)
        except ValidationError:
            return True
        return value != (self.default if initial is None else bool(initial))


class RosterRowForm(forms.Form):
    """One worker of a roster, the same for a file row, the portal form and the API: the
    fields are the columns of ``docs/roster.md`` and every error carries its stable code."""

    first_name = RosterNameField(label=gettext_lazy("First name"))
    last_name = RosterNameField(label=gettext_lazy("Last name"))
    birth_date = RosterDateField(
        label=gettext_lazy("Birth date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = RosterCountryField(
        label=gettext_lazy("Nationality (ISO, e.g. PL)"),
        widget=forms.TextInput(attrs={"maxlength": "2"}),
    )
    expected_stay_months = RosterStayField(
        label=gettext_lazy("Stay (months)"), widget=forms.TextInput(attrs={"maxlength": "3"})
    )
    municipality_of_residence = RosterMunicipalityField(
        label=gettext_lazy("Municipality of residence"),
        widget=forms.TextInput(attrs={"maxlength": "100"}),
    )
    language = RosterLanguageField(
        label=gettext_lazy("Language"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": "7"}),
    )
    email = RosterEmailField(label=gettext_lazy("E-mail"), required=False)
    phone = RosterTextField(label=capfirst(gettext_lazy("phone")), required=False)
    interpreter_needed = RosterFlagField(label=gettext_lazy("Interpreter needed"), default=False)
    temporary_protection = RosterFlagField(
        label=gettext_lazy("Temporary protection (Ukraine)"), default=False
    )
    works_under_dutch_social_security = RosterFlagField(
        label=gettext_lazy("Works under Dutch social security"), default=True
    )
    self_employed = RosterFlagField(label=gettext_lazy("Self-employed"), default=False)

    def __init__(self, *args, municipalities: MunicipalityIndex | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality_of_residence"].index = municipalities or MunicipalityIndex()

    def clean_phone(self) -> str:
        return self.cleaned_data["phone"][:30]

    def row_errors(self, row: int) -> list[RowError]:
        return [
            RowError(row, name, error.code, str(message))
            for name, errors in self.errors.as_data().items()
            for error in errors
            for message in error
        ]

    def worker(self, row: int) -> RosterWorker:
        """The validated worker (call after ``is_valid()``); columns the form leaves out get
        ``RosterWorker``'s defaults."""
        return RosterWorker(row=row, **self.cleaned_data)


def _roster_size_check(count: int, max_size: int | None) -> None:
    max_size = max_size or settings.GROUP_BOOKING_MAX_SIZE
    if not count:
        raise roster_fail([RowError(0, "workers", "empty", _("The roster has no workers."))])
    if count > max_size:
        raise roster_fail(
            [
                RowError(
                    0,
                    "workers",
                    "too_many",
                    _("A group booking holds at most %(max)d workers; this roster has %(count)d.")
                    % {"max": max_size, "count": count},
                )
            ]
        )


def _duplicates(workers: Sequence[RosterWorker]) -> list[RowError]:
    seen: dict[tuple, int] = {}
    errors = []
    for worker in workers:
        if worker.identity in seen:
            errors.append(
                RowError(
                    worker.row,
                    "first_name",
                    "duplicate_worker",
                    _("This worker already appears in row %(row)d.")
                    % {"row": seen[worker.identity]},
                )
            )
        seen.setdefault(worker.identity, worker.row)
    return errors


def roster_workers_check(workers: Sequence[RosterWorker], *, max_size: int | None = None) -> None:
    """The roster as a whole: not empty, not more than ``GROUP_BOOKING_MAX_SIZE`` workers, no
    worker twice (same names and birth date)."""
    _roster_size_check(len(workers), max_size)
    errors = _duplicates(workers)
    if errors:
        raise roster_fail(errors)


def roster_validate_forms(
    forms: Sequence[RosterRowForm], *, first_row: int = 2, max_size: int | None = None
) -> list[RosterWorker]:
    """Validate the workers' forms (row numbers from ``first_row``), then the roster as a
    whole. Raise ``ValidationFailed`` with every error."""
    _roster_size_check(len(forms), max_size)
    errors: list[RowError] = []
    workers: list[RosterWorker] = []
    for row, form in enumerate(forms, start=first_row):
        if form.is_valid():
            workers.append(form.worker(row))
        else:
            errors += form.row_errors(row)
    errors += _duplicates(workers)
    if errors:
        raise roster_fail(errors)
    return workers


def roster_validate_rows(
    rows: list[dict], *, first_row: int = 2, max_size: int | None = None
) -> list[RosterWorker]:
    """Validate dict rows (keys = column names), each through ``RosterRowForm``. Raise
    ``ValidationFailed`` with every error."""
    municipalities = MunicipalityIndex()
    return roster_validate_forms(
        [RosterRowForm(raw, municipalities=municipalities) for raw in rows],
        first_row=first_row,
        max_size=max_size,
    )


def _check_header(header: list[str]) -> None:
    errors = [
        RowError(1, name, "unknown_column", _("Unknown column %(name)s.") % {"name": name[:40]})
        for name in header
        if name and name not in COLUMNS
    ]
    errors += [
        RowError(1, name, "missing_column", _("Missing column %(name)s.") % {"name": name})
        for name in REQUIRED_COLUMNS
        if name not in header
    ]
    if len(set(header)) != len(header):
        errors.append(RowError(1, "header", "duplicate_column", _("A column appears twice.")))
    if errors:
        raise roster_fail(errors)


def _normalise_header(cells) -> list[str]:
    return [_text(c).lower().replace(" ", "_").lstrip("\ufeff") for c in cells]


# A run of this many blank rows ends the roster (a sheet formatted far below its data).
BLANK_RUN_END = 1000
# Columns read per row: the roster has a dozen; a row 16,000 cells wide is not read whole.
MAX_COLUMNS = 64


def _table_rows(rows: Iterable) -> Iterator[list]:
    """The rows of a file as lists of cells, as they are read (a seam for tests)."""
    for cells in rows:
        yield list(cells)[:MAX_COLUMNS]


def _too_many(max_size: int) -> ValidationFailed:
    return roster_fail(
        [
            RowError(
                0,
                "workers",
                "too_many",
                _("A group booking holds at most %(max)d workers; this roster has more.")
                % {"max": max_size},
            )
        ]
    )


def _rows_from_stream(rows: Iterable, *, max_size: int | None = None) -> list[dict]:
    """Header and data rows from a stream of rows, counted while they are read: reading stops
    at the first row over ``GROUP_BOOKING_MAX_SIZE`` (refused before any row is validated).
    Trailing blank rows are ignored; blank rows in between are errors of their row."""
    max_size = max_size or settings.GROUP_BOOKING_MAX_SIZE
    stream = _table_rows(rows)
    first = next(stream, None)
    if first is None:
        raise roster_fail([RowError(1, "header", "empty", _("The file is empty."))])
    header = _normalise_header(first)
    while header and header[-1] == "":
        header.pop()
    _check_header(header)
    found: list[dict] = []
    blanks = 0
    for cells in stream:
        if all(_text(c) == "" for c in cells):
            blanks += 1
            if blanks >= BLANK_RUN_END:
                break
            continue
        found.extend({} for _ in range(blanks))  # keep row numbers honest
        blanks = 0
        found.append(
            {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header)}
        )
        if len(found) > max_size:
            raise _too_many(max_size)
    return found


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
    # csv.reader reads the text line by line: the rows are counted as they come.
    rows = _rows_from_stream(csv.reader(io.StringIO(content), delimiter=delimiter))
    return roster_validate_rows(rows)


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_SHEET_NS}sheets/{_SHEET_NS}sheet")
    rel_id = sheet.get(f"{_REL_NS}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target").lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    raise KeyError(rel_id)


def _xlsx_rows_precount(content: bytes, max_size: int) -> None:
    """Before openpyxl loads the workbook (its shared strings alone take seconds for a big
    file): stream the first sheet's XML and count the rows holding a value, stopping at the
    header + cap + 1. Refuse right there; anything unexpected is left to the full reader."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        with archive.open(_first_sheet_path(archive)) as xml:
            rows = 0
            for _event, element in ElementTree.iterparse(xml, events=("end",)):
                if element.tag == f"{_SHEET_NS}row":
                    if element.find(f".//{_SHEET_NS}v") is not None or (
                        element.find(f".//{_SHEET_NS}is") is not None
                    ):
                        rows += 1
                    element.clear()
                    if rows > max_size + 1:
                        break
    except (KeyError, AttributeError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return
    if rows > max_size + 1:
        raise _too_many(max_size)


def roster_parse_xlsx(content: bytes) -> list[RosterWorker]:
    from openpyxl import load_workbook

    _xlsx_rows_precount(content, settings.GROUP_BOOKING_MAX_SIZE)
    try:
        # read_only streams the sheet's XML: rows are parsed one at a time, never all at once.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise roster_fail(
            [RowError(1, "file", "unreadable", _("This is not a readable .xlsx file."))]
        ) from None
    try:
        rows = _rows_from_stream(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS))
    finally:
        workbook.close()
    return roster_validate_rows(rows)


def roster_parse_upload(*, name: str, content: bytes) -> list[RosterWorker]:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return roster_parse_xlsx(content)
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        return roster_parse_csv(content)
    raise roster_fail([RowError(0, "file", "unsupported_file", _("Upload a .csv or .xlsx file."))])


def _template_table() -> Table:
    # Typed example cells: a real date and a number in the XLSX, ISO text in the CSV.
    example = {
        **TEMPLATE_EXAMPLE,
        "birth_date": dt.date.fromisoformat(TEMPLATE_EXAMPLE["birth_date"]),
        "expected_stay_months": int(TEMPLATE_EXAMPLE["expected_stay_months"]),
    }
    return Table(columns=list(COLUMNS), rows=[[example[c] for c in COLUMNS]], title="roster")


def roster_template_csv() -> bytes:
    return table_csv(_template_table())


def roster_template_xlsx() -> bytes:
    return table_xlsx(_template_table())
