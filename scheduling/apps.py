from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.schedules import DAILY, MINUTES, PeriodicTask, tomorrow_at
from scheduling.errors import SchedulingError


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("Scheduling")
    error_codes = SchedulingError

    # Statistics tables (core.stats collects them): selectors (period, scope) -> StatTable.
    statistics_tables = (
        "scheduling.selectors.stats.bus_desk_share",
        "scheduling.selectors.stats.no_show_rate_per_employer",
    )

    # Permissions this app's models give each role (collected by core.roles).
    role_permissions = {
        "receptionist": [
            "scheduling.view_location",
            "scheduling.view_counter",
            "scheduling.view_appointment",
            "scheduling.view_client",
            "scheduling.add_client",
            "scheduling.add_appointment",
        ],
        "officer": [
            "scheduling.view_location",
            "scheduling.view_counter",
            "scheduling.view_appointment",
            "scheduling.view_client",
            "scheduling.change_leg",
        ],
        "employer": [
            "scheduling.view_groupbooking",
            "scheduling.add_groupbooking",
            "scheduling.change_groupbooking",
            "scheduling.view_ticketbatch",
            "scheduling.add_ticketbatch",
            "scheduling.view_appointment",
            "scheduling.view_client",
            "scheduling.add_client",
            "scheduling.view_waitlistentry",
            "scheduling.add_waitlistentry",
        ],
        "municipality": ["scheduling.view_municipality"],
    }

    periodic_tasks = (
        PeriodicTask(
            "bmip: appointment reminders",
            "scheduling.tasks.appointment_reminders_task",
            MINUTES,
            minutes=15,
        ),
        PeriodicTask(
            "bmip: group booking holds expiry",
            "scheduling.tasks.group_booking_holds_expire_task",
            MINUTES,
            minutes=1,
        ),
        # Waitlist: expire offers (the next in line gets the places), drop lapsed entries, and
        # offer capacity freed without a cancellation (closure removed, new opening hours).
        PeriodicTask(
            "bmip: waitlist offers",
            "scheduling.tasks.waitlist_run_task",
            MINUTES,
            minutes=5,
        ),
        # After midnight: yesterday's missed bookings become no-shows, open numbers close.
        PeriodicTask(
            "bmip: end of day closing",
            "scheduling.tasks.day_close_task",
            DAILY,
            first_run=tomorrow_at(0, 30),
        ),
        PeriodicTask(
            "bmip: personal data retention",
            "scheduling.tasks.personal_data_retention_task",
            MINUTES,
            minutes=24 * 60,
        ),
    )

    def ready(self):
        from scheduling.availability_cache import availability_cache_connect

        availability_cache_connect()
