import threading

import pytest
from django.db import connection

from core.sequences import sequence_last
from settlement.services.issue import statement_numbers_draw


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_statement_numbers_are_gapless_under_concurrency():
    from django.db import transaction

    drawn, errors = [], []

    def worker():
        try:
            with transaction.atomic():
                drawn.extend(statement_numbers_draw(year=2031, count=3))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(n for n, _ in drawn) == list(range(1, 25))
    assert sequence_last("statement:2031") == 24


@pytest.mark.django_db
def test_statement_numbers_continue_per_year():
    from django.db import transaction

    with transaction.atomic():
        assert statement_numbers_draw(year=2030, count=2) == [(1, "2030-00001"), (2, "2030-00002")]
        assert statement_numbers_draw(year=2030, count=1) == [(3, "2030-00003")]
        assert statement_numbers_draw(year=2031, count=1) == [(1, "2031-00001")]
