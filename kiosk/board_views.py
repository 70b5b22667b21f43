"""The live operations board (coordinators only): a page and the JSON it polls. Thin: the
selector kiosk.board.operations_board does the work."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from core.roles import is_coordinator
from kiosk.board import operations_board

REFRESH_SECONDS = 5


def _board(request) -> dict:
    if not is_coordinator(request.user):
        raise PermissionDenied
    return operations_board()


@login_required
def board(request):
    data = _board(request)
    return render(request, "kiosk/board.html", {**data, "refresh_ms": REFRESH_SECONDS * 1000})


@login_required
def board_feed(request):
    data = _board(request)
    response = JsonResponse(
        {
            "time": timezone.localtime(data["now"]).strftime("%H:%M:%S"),
            "locations": [row.as_dict() for row in data["locations"]],
            "totals": data["totals"],
        }
    )
    response["Cache-Control"] = "no-store"
    return response
