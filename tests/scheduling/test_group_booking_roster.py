"""Roster files: every error with its row and field, nothing accepted when one row is wrong."""

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import Workbook

from core.exceptions import ValidationFailed
from scheduling.group_booking.forms import WorkerForm
from scheduling.group_booking.roster import (
    COLUMNS,
    RosterRowForm,
    roster_parse_csv,
    roster_parse_upload,
    roster_parse_xlsx,
    roster_template_csv,
    roster_template_xlsx,
    roster_validate_forms,
    roster_validate_rows,
)
from tests.scheduling.group_helpers import english  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HEADER = (
    "first_name,last_name,birth_date,nationality,expected_stay_months,municipality_of_residence"
)


def _errors(exc) -> set[tuple]:
    return {(e["row"], e["field"], e["code"]) for e in exc.value.details["rows"]}


def test_good_csv_accepts_cbs_code_and_name(reference):
    content = f"{HEADER},language,interpreter_needed\nAna,Pop,1995-03-03,ro,6,GM0826,ro,yes\nIon,Ilie,03-04-1990,RO,2,'s-Hertogenbosch,,no\n"
    workers = roster_parse_csv(content.encode())
    assert [w.row for w in workers] == [2, 3]
    assert workers[0].municipality_of_residence.cbs_code == "GM0826"
    assert workers[0].nationality == "RO" and workers[0].interpreter_needed is True
    assert workers[1].municipality_of_residence.name == "'s-Hertogenbosch"
    assert workers[1].birth_date == dt.date(1990, 4, 3) and workers[1].language == "en"


def test_semicolon_csv_from_dutch_excel(reference):
    content = HEADER.replace(",", ";") + "\nAna;Pop;1995-03-03;RO;6;Breda\n"
    assert roster_parse_csv(content.encode("utf-8-sig"))[0].last_name == "Pop"


def test_unknown_and_missing_columns(reference):
    content = "first_name,last_name,birth_date,nationality,shoe_size\nAna,Pop,1995-03-03,RO,42\n"
    with pytest.raises(ValidationFailed) as exc:
        roster_parse_csv(content.encode())
    assert exc.value.code == "roster_invalid"
    assert _errors(exc) == {
        (1, "shoe_size", "unknown_column"),
        (1, "expected_stay_months", "missing_column"),
        (1, "municipality_of_residence", "missing_column"),
    }


def test_every_row_error_is_reported_with_row_and_field(reference):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    content = "\n".join(
        [
            HEADER + ",email",
            "Ana,Pop,1995-03-03,RO,6,Breda,ana@example.org",  # row 2 ok
            f"Ion,Ilie,{future},RO,6,Breda,",  # row 3 future birth date
            "Eva,Kis,1990-01-01,HU,6,Atlantis,",  # row 4 unknown municipality
            "Ana,Pop,1995-03-03,RO,6,GM0758,",  # row 5 duplicate of row 2
            ",Nagy,1990-13-45,HUN,zero,Breda,not-an-email",  # row 6 many
        ]
    )
    with pytest.raises(ValidationFailed) as exc:
        roster_parse_csv(content.encode())
    assert _errors(exc) == {
        (3, "birth_date", "future_date"),
        (4, "municipality_of_residence", "unknown_municipality"),
        (5, "first_name", "duplicate_worker"),
        (6, "first_name", "required"),
        (6, "birth_date", "invalid_date"),
        (6, "nationality", "invalid_country"),
        (6, "expected_stay_months", "invalid_number"),
        (6, "email", "invalid_email"),
    }
    assert "row 2" in next(
        e["message"] for e in exc.value.details["rows"] if e["code"] == "duplicate_worker"
    )


@override_settings(GROUP_BOOKING_MAX_SIZE=2)
def test_roster_larger_than_the_maximum(reference):
    content = HEADER + "\n" + "\n".join(f"A{n},B,1990-01-0{n},PL,6,Breda" for n in range(1, 4))
    with pytest.raises(ValidationFailed) as exc:
        roster_parse_csv(content.encode())
    assert _errors(exc) == {(0, "workers", "too_many")}


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_with_real_dates_and_numbers(reference):
    content = _xlsx([HEADER.split(","), ["Ana", "Pop", dt.datetime(1995, 3, 3), "RO", 6, "GM0826"]])
    (worker,) = roster_parse_xlsx(content)
    assert worker.birth_date == dt.date(1995, 3, 3) and worker.expected_stay_months == 6


def test_xlsx_errors_name_the_row(reference):
    content = _xlsx(
        [
            HEADER.split(","),
            ["Ana", "Pop", dt.datetime(1995, 3, 3), "RO", 6, "GM0826"],
            ["Ion", "Ilie", dt.datetime(2999, 1, 1), "RO", 6, "Nowhere"],
        ]
    )
    with pytest.raises(ValidationFailed) as exc:
        roster_parse_xlsx(content)
    assert _errors(exc) == {
        (3, "birth_date", "future_date"),
        (3, "municipality_of_residence", "unknown_municipality"),
    }


def test_bad_files(reference):
    with pytest.raises(ValidationFailed) as exc:
        roster_parse_upload(name="roster.pdf", content=b"%PDF")
    assert _errors(exc) == {(0, "file", "unsupported_file")}
    with pytest.raises(ValidationFailed) as exc:
        roster_parse_upload(name="roster.xlsx", content=b"not a zip")
    assert _errors(exc) == {(1, "file", "unreadable")}
    with pytest.raises(ValidationFailed) as exc:
        roster_parse_csv("\xff".encode("latin-1"))
    assert _errors(exc) == {(1, "file", "encoding")}


def test_templates_parse_back_to_the_example_worker(reference):
    assert roster_template_csv().decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)
    (csv_worker,) = roster_parse_csv(roster_template_csv())
    (xlsx_worker,) = roster_parse_xlsx(roster_template_xlsx())
    assert csv_worker.identity == xlsx_worker.identity
    assert csv_worker.municipality_of_residence.cbs_code == "GM0826"


# --- one row form for every entry point: file, portal form and API give the same errors ----


def test_the_row_form_has_the_roster_columns():
    assert tuple(RosterRowForm.base_fields) == COLUMNS


def test_file_row_with_an_incomplete_email_or_a_long_name_is_refused(reference):
    content = "\n".join(
        [
            HEADER + ",email",
            "Jan,Nowak,1990-01-01,PL,6,Breda,jan@",
            f"{'J' * 101},Nowak,1990-01-02,PL,6,Breda,jan@example.org",
            "Ewa,Nowak,1990-01-03,PL,6,Breda,jan @example.org",
        ]
    )
    with pytest.raises(ValidationFailed) as exc:
        roster_parse_csv(content.encode())
    assert _errors(exc) == {
        (2, "email", "invalid_email"),
        (3, "first_name", "too_long"),
        (4, "email", "invalid_email"),
    }


def test_portal_worker_form_gives_the_same_codes(reference):
    data = {
        "first_name": "J" * 101,
        "last_name": "Nowak",
        "birth_date": "1990-01-01",
        "nationality": "PL",
        "expected_stay_months": "6",
        "municipality_of_residence": "Breda",
        "email": "jan@",
    }
    form = WorkerForm(data)
    assert not form.is_valid()
    assert {(e.field, e.code) for e in form.row_errors(1)} == {
        ("first_name", "too_long"),
        ("email", "invalid_email"),
    }
    assert 'maxlength="100"' in str(form["first_name"])  # the browser stops at 100 too
    typed = {**data, "first_name": "Jan", "email": "jan@example.org"}
    (worker,) = roster_validate_forms(
        [WorkerForm({**typed, "works_under_dutch_social_security": "on"})], first_row=1
    )
    assert worker.email == "jan@example.org" and worker.works_under_dutch_social_security
    # The portal's boxes: an unticked box is a "no" (a posted worker with an A1 certificate).
    (worker,) = roster_validate_forms([WorkerForm(typed)], first_row=1)
    assert not worker.works_under_dutch_social_security


def test_json_values_and_excel_cells_read_like_text(reference):
    (worker,) = roster_validate_rows(
        [
            {
                "first_name": "Jan",
                "last_name": "Nowak",
                "birth_date": dt.date(1990, 1, 1),
                "nationality": "pl",
                "expected_stay_months": 6.0,
                "municipality_of_residence": "gm0826",
                "interpreter_needed": True,
                "works_under_dutch_social_security": "nee",
                "phone": "0" * 40,
            }
        ],
        first_row=1,
    )
    assert (worker.nationality, worker.expected_stay_months, worker.language) == ("PL", 6, "en")
    assert worker.interpreter_needed is True and worker.works_under_dutch_social_security is False
    assert worker.municipality_of_residence.cbs_code == "GM0826" and len(worker.phone) == 30
