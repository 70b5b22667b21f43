"""Statuses each load step may answer without counting as an error."""

# Statuses a step may answer without it being an error (409: slot taken or busy; 404 on
# call-next: nobody waiting; 429: nginx rate limit; 503: a dependency briefly away).
EXPECTED = {
    "booking": {201, 409},
    "availability": {200},
    "call_next": {200, 404, 409},
    "start": {200, 409},
    "finish": {200, 409},
    "kiosk_walk_in": {201, 409},
    # 200: the visit already has its number (a repeated scan); 409: its leg was already done.
    "kiosk_check_in": {200, 201, 409},
    "record": {201, 409},
    "ticket_pdf": {200},
    "statements": {200},
    "statement_lines": {200},
    "login": {200, 302},
}
