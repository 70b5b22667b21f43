"""django-q2 tasks of the scheduling app: load by id, call one service, safe to re-run."""

from scheduling.services.tickets import ticket_batch_build


def ticket_batch_build_task(batch_id: int) -> str:
    batch = ticket_batch_build(batch_id=batch_id)
    return f"{batch.status} {batch.progress}/{batch.total}" if batch else "gone"
