"""Finding 6: uploads had no size limit (a 19.5 MB roster was parsed whole). A body over
UPLOAD_MAX_BYTES is refused with 413 before it is parsed, in the portal and the API."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

TWENTY_MB = 20 * 1024 * 1024


def _roster(size: int) -> SimpleUploadedFile:
    header = b"first_name,last_name,birth_date,nationality,expected_stay_months,municipality_of_residence\\n"
    row = b"Anna,Kis,1993-04-04,HU,6,GM0826\\n"
    return SimpleUploadedFile(
        "roster.csv", header + row * (size // len(row)), content_type="text/csv"
    )


def test_api_refuses_a_20_mb_roster_with_413_before_parsing(reference):
    employer = factories.employer()
    api = APIClient()
    api.force_authenticate(factories.user(Role.EMPLOYER, employer=employer))
    started = time.perf_counter()
    response = api.post(
        "/api/v1/group-bookings/upload/", {"file": _roster(TWENTY_MB)}, format="multipart"
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"
    print(f"20 MB roster refused (API, test client) in {elapsed * 1000:.0f} ms")  # noqa: T201


def test_portal_refuses_a_20_mb_roster_with_413(client, reference):
    employer = factories.employer()
    client.force_login(factories.user(Role.EMPLOYER, employer=employer))
    started = time.perf_counter()
    response = client.post("/scheduling/portal/group-bookings/new/", {"roster": _roster(TWENTY_MB)})
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    assert "MB" in response.content.decode()
    print(f"20 MB roster refused (portal, test client) in {elapsed * 1000:.0f} ms")  # noqa: T201


def _xlsx(rows: int) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(
        [
            "first_name",
            "last_name",
            "birth_date",
            "nationality",
            "expected_stay_months",
            "municipality_of_residence",
        ]
    )
    for n in range(rows):
        sheet.append([f"Anna{n}", "Kis", "1993-04-04", "HU", 6, "GM0826"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx", "xlsx-without-precount"])
def test_a_roster_over_the_row_cap_is_refused_while_streaming(reference, settings, kind):
    """Rows are counted while the file is read: the parse stops at the cap + 1 row, before
    any row is validated (a 3.9 MB XLSX took 22 s of CPU before the 200-row check)."""
    from unittest import mock

    from core.exceptions import ValidationFailed
    from scheduling.group_booking import roster

    settings.GROUP_BOOKING_MAX_SIZE = 5
    if kind == "csv":
        header = "first_name,last_name,birth_date,nationality,expected_stay_months,municipality_of_residence\n"
        content = (header + "Anna,Kis,1993-04-04,HU,6,GM0826\n" * 5000).encode()
    else:
        content = _xlsx(5000 if kind == "xlsx" else 500)
    read = []
    real = roster._table_rows

    def counting(rows):
        for row in real(rows):
            read.append(row)
            yield row

    precount = roster._xlsx_rows_precount
    if kind == "xlsx-without-precount":  # the openpyxl stream stops at the cap + 1 too
        precount = mock.Mock()
    with (
        mock.patch.object(roster, "_xlsx_rows_precount", precount),
        mock.patch.object(roster, "_table_rows", counting),
        mock.patch.object(roster, "RosterRowForm") as form,
        pytest.raises(ValidationFailed) as err,
    ):
        roster.roster_parse_upload(name=f"roster.{kind[:4].rstrip('-')}", content=content)
    assert err.value.details["rows"][0]["code"] == "too_many"
    assert "at most 5" in str(err.value.details["rows"][0]["message"])
    assert len(read) <= 1 + 5 + 1  # header, the cap, one more
    form.assert_not_called()  # no row was validated


def test_a_roster_at_the_cap_is_read_whole_and_trailing_blank_rows_are_ignored(reference, settings):
    from scheduling.group_booking.roster import roster_parse_csv

    settings.GROUP_BOOKING_MAX_SIZE = 3
    header = "first_name,last_name,birth_date,nationality,expected_stay_months,municipality_of_residence\n"
    rows = "".join(f"Anna{n},Kis,1993-04-04,HU,6,GM0826\n" for n in range(3))
    workers = roster_parse_csv((header + rows + ",,,,,\n" * 50).encode())
    assert [w.row for w in workers] == [2, 3, 4]
