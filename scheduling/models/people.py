"""Employers, clients (the migrants: minimal data, no BSN) and staff ties."""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scheduling.constants import EU_EEA_CH

kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK number has exactly eight digits."))
country_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two-letter ISO country code, e.g. PL.")
)


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Employer(models.Model):
    name = models.CharField(_("company name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, unique=True, validators=[kvk_validator]
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    billing_email = models.EmailField(_("billing e-mail"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    calendar_feed_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, default=new_feed_token
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self):
        return self.name


class Client(models.Model):
    """A migrant worker. Minimal data; the BSN is never stored here."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    nationality = models.CharField(_("nationality"), max_length=2, validators=[country_validator])
    language = models.CharField(_("language"), max_length=7, default="en")
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    expected_stay_months = models.PositiveSmallIntegerField(_("expected stay (months)"))
    temporary_protection = models.BooleanField(_("temporary protection (Ukraine)"), default=False)
    works_under_dutch_social_security = models.BooleanField(
        _("works under Dutch social security"),
        default=True,
        help_text=_("Off for posted workers with an A1 certificate (they keep home insurance)."),
    )
    municipality_of_residence = models.ForeignKey(
        "scheduling.Municipality",
        verbose_name=_("municipality of residence"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workers",
    )
    self_employed = models.BooleanField(_("self-employed"), default=False)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed at"),
        null=True,
        blank=True,
        help_text=_("Set by the retention run; names and contact details are gone from then on."),
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def is_eu(self) -> bool:
        return self.nationality in EU_EEA_CH


class StaffProfile(models.Model):
    """Ties a user to what their role is scoped by: an employer, a municipality or a location."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bmip_profile"
    )
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT)
    municipality = models.ForeignKey(
        "scheduling.Municipality", null=True, blank=True, on_delete=models.PROTECT
    )
    location = models.ForeignKey(
        "scheduling.Location", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(employer__isnull=True, municipality__isnull=True)
                    | Q(employer__isnull=True, location__isnull=True)
                    | Q(municipality__isnull=True, location__isnull=True)
                ),
                name="staffprofile_at_most_one_tie",
            )
        ]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.user}"
