"""Service types offered at the desk."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from scheduling.constants import ServiceCategory, ServiceKind


class ServiceType(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    description = models.TextField(_("description (English)"), blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('Per language code: {"pl": {"name": "...", "description": "..."}}.'),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ServiceKind.choices)
    category = models.CharField(_("category"), max_length=20, choices=ServiceCategory.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    sort_order = models.PositiveSmallIntegerField(
        _("order in a visit"),
        default=50,
        help_text=_("Registration first, then insurance, then referrals, then extras."),
    )
    queue_prefix = models.CharField(
        _("queue number prefix"), max_length=1, default="A", help_text=_("E.g. A for registration.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="service_duration_positive"
            ),
            # Extras are never government services and vice versa.
            models.CheckConstraint(
                condition=(Q(kind=ServiceKind.EXTRA) & Q(category=ServiceCategory.EXTRA))
                | (Q(kind=ServiceKind.GOVERNMENT) & ~Q(category=ServiceCategory.EXTRA)),
                name="service_kind_matches_category",
            ),
        ]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self):
        return self.localized_name()

    @property
    def is_government(self) -> bool:
        return self.kind == ServiceKind.GOVERNMENT

    def _translated(self, field: str, language: str | None) -> str:
        language = language or translation.get_language() or "en"
        entry = self.translations.get(language) or self.translations.get(language.split("-")[0])
        if entry and entry.get(field):
            return entry[field]
        return getattr(self, field)

    def localized_name(self, language: str | None = None) -> str:
        return self._translated("name", language)

    def localized_description(self, language: str | None = None) -> str:
        return self._translated("description", language)
