"""Regions, municipalities, locations (desks and the bus), counters, opening and closures."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from scheduling.constants import ClosureSource, LocationKind

cbs_code_validator = RegexValidator(
    r"^GM\d{4}$", _("A CBS municipality code looks like GM0855 (GM and four digits).")
)


class Region(models.Model):
    """A labour-market region or subregion (Zuidoost-Brabant has two subregions)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subregions",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[cbs_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name=_("labour-market region"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        help_text=_("The most specific (sub)region; editable by a coordinator."),
    )
    is_core = models.BooleanField(_("core municipality (runs a desk)"), default=False)
    is_rni_desk = models.BooleanField(_("RNI desk"), default=False)
    finance_email = models.EmailField(_("finance contact e-mail"), blank=True)
    reference_note = models.CharField(_("reference note"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class PopulationFigure(models.Model):
    """Inhabitants of a municipality in a year (CBS StatLine 03759ned / 85984NED)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    population = models.PositiveIntegerField(_("population"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        ordering = ["municipality__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="population_one_figure_per_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=1900), name="population_year_sane"),
        ]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")

    def __str__(self):
        return f"{self.municipality} {self.year}: {self.population}"


class Location(models.Model):
    """A regional desk or the mobile bus, operating under a core municipality."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=LocationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("core municipality"),
        on_delete=models.PROTECT,
        related_name="locations",
        help_text=_("The municipality that performs the registrations done here."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region served"), on_delete=models.PROTECT, related_name="locations"
    )
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_rni_desk = models.BooleanField(_("RNI desk"), default=False)
    rni_non_eu_allowed = models.BooleanField(
        _("RNI for non-EU nationals"),
        default=True,
        help_text=_("Whether non-EU/EEA/Swiss nationals may register in the RNI here."),
    )
    transfer_buffer_minutes = models.PositiveSmallIntegerField(
        _("transfer buffer between legs (minutes)"), default=5
    )
    max_wait_minutes = models.PositiveSmallIntegerField(
        _("longest wait between legs (minutes)"), default=30
    )
    slot_step_minutes = models.PositiveSmallIntegerField(_("start-time grid (minutes)"), default=15)
    is_active = models.BooleanField(_("active"), default=True)
    fair_share_max_percent = models.PositiveSmallIntegerField(
        _("fair share: most one employer may book (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Most of this desk's open counter minutes in an ISO week that one employer may "
            "book. Empty: the default (FAIR_SHARE_MAX_PERCENT); 100 switches the rule off here."
        ),
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_step_minutes__gte=5), name="location_slot_step_min_5"
            ),
            models.CheckConstraint(
                condition=Q(fair_share_max_percent__isnull=True)
                | Q(fair_share_max_percent__range=(1, 100)),
                name="location_fair_share_1_to_100",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def fair_share_limit(self) -> int:
        """The most (percent) of this location's weekly capacity one employer may book."""
        if self.fair_share_max_percent is not None:
            return self.fair_share_max_percent
        return settings.FAIR_SHARE_MAX_PERCENT

    @property
    def full_address(self) -> str:
        return ", ".join(p for p in [self.address, f"{self.postcode} {self.city}".strip()] if p)


class Counter(models.Model):
    """A workstation at a location, able to perform a set of services."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="counters")
    name = models.CharField(_("name"), max_length=50)
    services = models.ManyToManyField(
        "scheduling.ServiceType", verbose_name=_("services"), related_name="counters"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["location", "name"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="counter_name_per_location")
        ]
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.location.name} / {self.name}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """A weekly opening period of a desk (several per weekday allowed, e.g. a lunch break)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["location", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="opening_opens_before_closes"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_weekday_0_6"),
        ]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self):
        return (
            f"{self.location}: {self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"
        )


class Closure(models.Model):
    """A location closed on a date range. Holiday closures are proposed, then confirmed."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to (inclusive)"))
    reason = models.CharField(_("reason"), max_length=200)
    source = models.CharField(
        _("source"), max_length=10, choices=ClosureSource.choices, default=ClosureSource.MANUAL
    )
    confirmed = models.BooleanField(
        _("confirmed"), default=True, help_text=_("Only confirmed closures close the location.")
    )

    class Meta:
        ordering = ["location", "date_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__lte=F("date_to")), name="closure_range_valid"
            ),
            models.UniqueConstraint(
                fields=["location", "date_from", "source"], name="closure_unique_start_per_source"
            ),
        ]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self):
        return f"{self.location}: {self.date_from}..{self.date_to} {self.reason}"


class BusVisit(models.Model):
    """The mobile bus at a site on a date, with the counters on board that day."""

    location = models.ForeignKey(
        Location,
        verbose_name=_("bus"),
        on_delete=models.PROTECT,
        related_name="bus_visits",
        limit_choices_to={"kind": LocationKind.BUS},
    )
    date = models.DateField(_("date"))
    site_name = models.CharField(_("site"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    employer = models.ForeignKey(
        "scheduling.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bus_visits",
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    counters = models.ManyToManyField(Counter, verbose_name=_("counters on board"), blank=True)

    class Meta:
        ordering = ["date", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="busvisit_opens_before_closes"
            ),
        ]
        verbose_name = _("bus visit")
        verbose_name_plural = _("bus visits")

    def __str__(self):
        return f"{self.location} @ {self.site_name} {self.date}"
