"""API tokens for machine clients: create (the key is returned once), revoke, authenticate.

A key is ``bmip_`` + 43 random URL-safe characters (``secrets.token_urlsafe(32)``, 256 bits).
Only its SHA-256 is stored (a fast hash is enough for a random key of that length; a slow
password hash would cost every API request ~250 ms). A request with a token acts as the
token's user: the same roles and the same row scoping by the user's tie (StaffProfile) as
that user's browser session. Only employers, municipalities and coordinators may hold
tokens; a token stops working when it is revoked, when it expires, when its user is
deactivated or no longer has one of those roles.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.errors import CoreError
from core.exceptions import Forbidden, NotAuthenticated, ValidationFailed
from core.models import ApiToken
from core.roles import Role, user_has_role

KEY_PREFIX = "bmip_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8  # "bmip_" and the key's first 8 random characters
# Roles whose users may act through a machine client.
TOKEN_ROLES = (Role.EMPLOYER, Role.MUNICIPALITY, Role.COORDINATOR)
# last_used_at is written at most once per this interval (spares a write per request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
NAME_MAX_LENGTH = 100


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_may_hold(user) -> bool:
    """Whether ``user`` may create and use API tokens (an active user of a token role)."""
    return bool(getattr(user, "is_active", False)) and user_has_role(user, *TOKEN_ROLES)


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the token a name."), details={"name": [_("Required.")]})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed(
            _("The name is longer than %(max)d characters.") % {"max": NAME_MAX_LENGTH},
            details={"name": [_("Too long.")]},
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise ValidationFailed(
            _("A name cannot hold control characters."),
            details={"name": [_("Control characters are not allowed.")]},
        )
    return name


@transaction.atomic
def api_token_create(
    *, user, name: str, expires_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key (the only time it is known)."""
    if not api_token_may_hold(user):
        raise Forbidden(
            _("Your role cannot use API tokens."), code=CoreError.TOKEN_ROLE_NOT_ALLOWED
        )
    name = _clean_name(name)
    now = now or timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationFailed(
            _("The expiry date must lie in the future."),
            code=CoreError.DATE_INVALID,
            details={"expires_at": [_("Must lie in the future.")]},
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        expires_at=expires_at,
    )
    audit_log(
        actor=user,
        action="core.api_token_created",
        obj=token,
        prefix=token.prefix,
        expires_at=expires_at.isoformat() if expires_at else None,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, now: dt.datetime | None = None) -> ApiToken:
    """Stop ``token`` working from now on (revoking a revoked token changes nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(actor=actor, action="core.api_token_revoked", obj=token, prefix=token.prefix)
    return token


def api_token_authenticate(*, key: str, now: dt.datetime | None = None) -> ApiToken:
    """The live token for ``key`` (its user loaded), or ``NotAuthenticated`` (401) saying why.

    Marks the token used (at most once per ``LAST_USED_RESOLUTION``: a conditional UPDATE).
    """
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=key_hash(key.strip())).first()
        if key and key.strip()
        else None
    )
    if token is None:
        raise NotAuthenticated(_("This API token is not valid."), code=CoreError.TOKEN_INVALID)
    if token.revoked_at is not None:
        raise NotAuthenticated(_("This API token was revoked."), code=CoreError.TOKEN_REVOKED)
    if token.expires_at is not None and token.expires_at <= now:
        raise NotAuthenticated(_("This API token has expired."), code=CoreError.TOKEN_EXPIRED)
    if not token.user.is_active:
        raise NotAuthenticated(
            _("The user of this API token is deactivated."), code=CoreError.TOKEN_USER_INACTIVE
        )
    if not api_token_may_hold(token.user):
        raise NotAuthenticated(
            _("The user of this API token may no longer use the API as a machine client."),
            code=CoreError.TOKEN_ROLE_NOT_ALLOWED,
        )
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_of(user):
    """The user's tokens, newest first (a selector: reads only)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
