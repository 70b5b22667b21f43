"""The API tokens page: a user of a token role lists, creates and revokes their own tokens.

The key of a new token is shown once, in the answer to the POST that made it (never in a
redirect, a session or a message), with ``Cache-Control: no-store``.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.dates import date_in_range
from core.exceptions import DomainError
from core.forms import ApiTokenForm
from core.models import ApiToken
from core.tokens import api_token_create, api_token_may_hold, api_token_revoke, api_tokens_of


def _token_user(request):
    """Employers, municipalities and coordinators; every other role gets 403."""
    if not api_token_may_hold(request.user):
        raise PermissionDenied


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` (local time): the token works all of that day."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _create(request, form):
    """The new token and its key, or None with the problems on the form."""
    if not form.is_valid():
        return None
    expires_on = form.cleaned_data["expires_on"]
    try:
        expires_at = _end_of(date_in_range(expires_on)) if expires_on else None
        return api_token_create(
            user=request.user, name=form.cleaned_data["name"], expires_at=expires_at
        )
    except DomainError as error:
        fields = {"expires_at": "expires_on", "name": "name"}
        field = next((fields[name] for name in error.details if name in fields), None)
        form.add_error(field, error.message)
        return None


@login_required
@never_cache
def tokens(request):
    _token_user(request)
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST":
        result = _create(request, form)
        if result is not None:
            created, key = result
            form = ApiTokenForm()
    now = timezone.now()
    rows = list(api_tokens_of(request.user))
    for row in rows:
        row.state = row.status(now)
    context = {"form": form, "tokens": rows, "created": created, "key": key}
    return render(request, "core/tokens.html", context)


@login_required
@never_cache
def token_revoke(request, token_id):
    _token_user(request)
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    if request.method == "POST":
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
        return redirect("core:tokens")
    return render(request, "core/token_revoke.html", {"token": token})
