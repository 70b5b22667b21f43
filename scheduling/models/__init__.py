from scheduling.models.appointments import Appointment, GroupBooking, Leg, new_booking_code
from scheduling.models.notifications import NotificationLog
from scheduling.models.people import Client, Employer, StaffProfile
from scheduling.models.places import (
    BusVisit,
    Closure,
    Counter,
    Location,
    Municipality,
    OpeningHours,
    PopulationFigure,
    Region,
    Weekday,
)
from scheduling.models.services import ServiceType
from scheduling.models.tickets import TicketBatch, TicketBatchStatus
from scheduling.models.waitlist import WaitlistEntry

__all__ = [
    "Appointment",
    "BusVisit",
    "Client",
    "Closure",
    "Counter",
    "Employer",
    "GroupBooking",
    "Leg",
    "Location",
    "Municipality",
    "NotificationLog",
    "OpeningHours",
    "PopulationFigure",
    "Region",
    "ServiceType",
    "StaffProfile",
    "TicketBatch",
    "TicketBatchStatus",
    "WaitlistEntry",
    "Weekday",
    "new_booking_code",
]
