"""Read queries of the counter app, split by use case; the record/fee/invoice selectors are
re-exported here."""

from counter.selectors.records import (
    extra_services_with_price,
    fee_lines_for_officer,
    funded_services_for_officer,
    invoices_for_user,
    legs_for_officer,
    records_for_officer,
    visit_detail,
    visit_locations,
    visits_for_officer,
    visits_of_day,
)

__all__ = [
    "visits_for_officer",
    "visit_locations",
    "visits_of_day",
    "legs_for_officer",
    "records_for_officer",
    "fee_lines_for_officer",
    "funded_services_for_officer",
    "invoices_for_user",
    "visit_detail",
    "extra_services_with_price",
]
