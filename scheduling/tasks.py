"""django-q2 tasks of the scheduling app. Each loads by id, calls one service and is safe to
run twice. Other features add their own clearly separate functions below."""

from scheduling.tickets.services import ticket_batch_build

# --- group bookings and their notifications -----------------------------------------------


def group_booking_confirmation_task(group_booking_id: int) -> int:
    from scheduling.services.notifications import group_booking_confirmation_send

    return group_booking_confirmation_send(group_booking_id=group_booking_id)


def appointment_change_task(appointment_id: int, kind: str) -> int:
    from scheduling.services.notifications import appointment_change_send

    return appointment_change_send(appointment_id=appointment_id, kind=kind)


def appointment_reminders_task() -> int:
    from scheduling.services.notifications import appointment_reminders_send

    return appointment_reminders_send()


def group_booking_holds_expire_task() -> int:
    from scheduling.group_booking.services import group_booking_holds_expire

    return group_booking_holds_expire()


# --- tickets -------------------------------------------------------------------------------


def ticket_batch_build_task(batch_id: int) -> str:
    batch = ticket_batch_build(batch_id=batch_id)
    return f"{batch.status} {batch.progress}/{batch.total}" if batch else "gone"


# --- retention ----------------------------------------------------------------------------


def personal_data_retention_task() -> dict:
    from scheduling.services.retention import personal_data_retention_run

    return personal_data_retention_run()


def day_close_task() -> dict:
    from scheduling.services.day_close import visits_missed_close

    return visits_missed_close()


# --- waitlist ------------------------------------------------------------------------------


def waitlist_offers_task(location_ids: list[int]) -> int:
    from scheduling.waitlist.services import waitlist_offers_make

    return waitlist_offers_make(location_ids=location_ids)


def waitlist_offer_mail_task(entry_id: int, version: int) -> int:
    from scheduling.waitlist.services import waitlist_offer_send

    return waitlist_offer_send(entry_id=entry_id, version=version)


def waitlist_run_task() -> dict:
    from scheduling.waitlist.services import waitlist_run

    return waitlist_run()
