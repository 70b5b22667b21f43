"""Roster uploads (issue 12, finding 6): how fast an oversize upload is refused, and how fast
a roster with too many rows is rejected, with peak memory.

- ``refuse_oversize``: a 19.5 MB CSV posted to the API (Django test client, in process) is
  answered 413 from its Content-Length before anything is parsed.
- ``reject_rows_xlsx``: a 3.9 MB XLSX with far more rows than GROUP_BOOKING_MAX_SIZE, parsed
  by the roster reader (the size cap would refuse it before; this measures the parser): rows
  are counted while the sheet streams and reading stops at the cap + 1.
- ``full_read_xlsx``: the same file read whole, as before the fix (for comparison).
- ``reject_rows_api``: a 1.9 MB XLSX (under the size cap) with too many rows through the API.

Prints JSON lines (median, p95 in ms; peak Python memory in MB via tracemalloc; process CPU
seconds). Builds its own throw-away database.
"""

import os
import sys

# bench/queue.py would shadow the standard library's queue module: keep this folder last
# on sys.path (it stays importable for _common).
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import io
import statistics
import time
import tracemalloc

from _common import bench_database, emit, percentile

BENCH = "uploads"
REPEATS = int(os.environ.get("BENCH_REPEATS", "10"))
HEADER = [
    "first_name",
    "last_name",
    "birth_date",
    "nationality",
    "expected_stay_months",
    "municipality_of_residence",
    "language",
    "email",
    "phone",
]


def xlsx_of_size(target_bytes: int) -> tuple[bytes, int]:
    from openpyxl import Workbook

    rows = 1000
    while True:
        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for n in range(rows):
            sheet.append(
                [
                    f"Anna{n}",
                    f"Kis{n}",
                    "1993-04-04",
                    "HU",
                    6,
                    "GM0826",
                    "hu",
                    f"anna{n}@example.org",
                    f"+36 1 {n:07d}",
                ]
            )
        out = io.BytesIO()
        book.save(out)
        if out.tell() >= target_bytes:
            return out.getvalue(), rows
        rows = int(rows * target_bytes / out.tell() * 1.02) + 1


def measure(name: str, func, *, repeats: int = REPEATS) -> None:
    times, cpu = [], []
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        func()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append(time.process_time() - c0)
    tracemalloc.start()
    func()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    emit(BENCH, f"{name}_median", round(statistics.median(times), 1), "ms")
    emit(BENCH, f"{name}_p95", round(percentile(times, 0.95), 1), "ms")
    emit(BENCH, f"{name}_cpu_median", round(statistics.median(cpu), 3), "s")
    emit(BENCH, f"{name}_peak_memory", round(peak / 1024 / 1024, 1), "MB")


def main() -> None:
    os.environ["ALLOWED_HOSTS"] = "localhost,testserver"  # the in-process test client
    with bench_database("uploads"):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from rest_framework.test import APIClient

        from core.exceptions import ValidationFailed
        from core.roles import Role, roles_ensure
        from scheduling.group_booking.roster import roster_parse_xlsx
        from scheduling.models import Employer
        from scheduling.services.catalog import service_catalog_ensure
        from scheduling.services.reference import reference_load
        from scheduling.services.staff import staff_user_upsert

        reference_load()
        service_catalog_ensure()
        roles_ensure()
        employer = Employer.objects.create(name="Bench employer", contact_email="hr@example.org")
        user = staff_user_upsert(
            username="bench-hr", password="pw-x-12345", role=Role.EMPLOYER, employer=employer
        )
        api = APIClient()
        api.force_authenticate(user)

        row = b"Anna,Kis,1993-04-04,HU,6,GM0826\n"
        big_csv = b"first_name,last_name,birth_date,nationality,expected_stay_months,municipality_of_residence\n"
        big_csv += row * int(19.5 * 1024 * 1024 // len(row))
        emit(BENCH, "oversize_csv_size", round(len(big_csv) / 1024 / 1024, 1), "MB")

        def refuse_oversize():
            upload = SimpleUploadedFile("roster.csv", big_csv, content_type="text/csv")
            response = api.post(
                "/api/v1/group-bookings/upload/", {"file": upload}, format="multipart"
            )
            assert response.status_code == 413, response.status_code

        measure("refuse_oversize", refuse_oversize)

        xlsx, rows = xlsx_of_size(int(3.9 * 1024 * 1024))
        emit(BENCH, "rows_xlsx_size", round(len(xlsx) / 1024 / 1024, 2), "MB")
        emit(BENCH, "rows_xlsx_rows", rows, "rows")

        def reject_rows():
            try:
                roster_parse_xlsx(xlsx)
            except ValidationFailed as exc:
                assert exc.details["rows"][0]["code"] == "too_many"
            else:
                raise AssertionError("accepted")

        measure("reject_rows_xlsx", reject_rows)

        def full_read():
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(xlsx), read_only=True, data_only=True)
            table = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
            book.close()
            assert len(table) == rows + 1

        measure("full_read_xlsx", full_read, repeats=max(REPEATS // 5, 1))

        small, small_rows = xlsx_of_size(int(1.9 * 1024 * 1024))
        emit(BENCH, "api_xlsx_rows", small_rows, "rows")

        def reject_rows_api():
            upload = SimpleUploadedFile("roster.xlsx", small)
            response = api.post(
                "/api/v1/group-bookings/upload/", {"file": upload}, format="multipart"
            )
            assert response.status_code == 400, response.status_code

        measure("reject_rows_api", reject_rows_api)


if __name__ == "__main__":
    main()
