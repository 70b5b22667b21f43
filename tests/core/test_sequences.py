"""The one gapless generator: numbers 1..N under real concurrency, none lost on rollback."""

import time

import pytest
from django.db import transaction
from sequences.models import Sequence

from core.sequences import sequence_last, sequence_next, sequence_next_block
from tests.concurrency import run_threads


def test_numbers_start_at_one_and_a_rolled_back_number_is_reused(db):
    with transaction.atomic():
        assert sequence_next("test:a") == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sequence_next("test:a") == 2
        raise RuntimeError("the insert that took the number failed")
    with transaction.atomic():
        assert sequence_next("test:a") == 2
        assert sequence_next("test:b") == 1
    assert sequence_last("test:a") == 2 and sequence_last("test:never") == 0


def test_a_block_of_numbers_continues_the_sequence(db):
    with transaction.atomic():
        assert list(sequence_next_block("test:block", 3)) == [1, 2, 3]
        assert sequence_next("test:block") == 4
        assert list(sequence_next_block("test:block", 0)) == []
        assert list(sequence_next_block("test:block", 2)) == [5, 6]
    assert sequence_last("test:block") == 6


@pytest.mark.django_db(transaction=True)
def test_a_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        sequence_next("test:a")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_forty_threads_get_one_to_forty(settings):
    settings.LOCK_TIMEOUT_S = 120  # this test is about numbering, not the busy answer

    def take(_i):
        with transaction.atomic():
            return sequence_next("test:race")

    results, errors = run_threads(40, take)
    assert errors == []
    assert sorted(results) == list(range(1, 41))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_negative_control_read_then_write_loses_numbers():
    """The same row without the generator's lock: read-then-write hands out duplicates, so
    the threaded test above can fail and the lock is what keeps numbers unique."""
    Sequence.objects.create(name="test:unlocked", last=0)

    def take_unlocked(_i):
        with transaction.atomic():
            row = Sequence.objects.get(name="test:unlocked")
            time.sleep(0.05)  # widen the window between read and write
            row.last += 1
            row.save(update_fields=["last"])
            return row.last

    results, errors = run_threads(10, take_unlocked)
    assert errors == []
    assert len(set(results)) < len(results)
