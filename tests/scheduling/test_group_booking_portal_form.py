"""The employer's "Book a group" page: dropdowns, rows up to the maximum (with and without
JavaScript), only the location field "Where" needs, a refused file named and the rest kept,
and no inline script (a CSP without unsafe-inline)."""

import io
import re

import pytest
from django.test import Client as WebClient
from django.test import override_settings
from django.urls import reverse

from core.roles import Role
from scheduling.models import GroupBooking, Municipality, Region
from tests import factories as f
from tests.html import inline_scripts
from tests.scheduling.group_helpers import english  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NEW = "scheduling:portal-group-new"


@pytest.fixture
def desk(reference):
    return f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]})


@pytest.fixture
def hr(reference):
    return f.user(Role.EMPLOYER, employer=f.employer())


@pytest.fixture
def web(hr):
    client = WebClient()
    client.force_login(hr)
    return client


def _row(i: int, **overrides) -> dict:
    values = {
        "first_name": f"Ana{i}",
        "last_name": "Pop",
        "birth_date": f"1990-01-{i + 1:02d}",
        "nationality": "RO",
        "expected_stay_months": "6",
        "municipality_of_residence": "GM0855",
        "language": "ro",
        "works_under_dutch_social_security": "on",
    }
    values.update(overrides)
    return {f"w-{i}-{k}": v for k, v in values.items()}


def _data(desk, day, rows: int, total: int | None = None, **extra) -> dict:
    data = {
        "target": "location",
        "location": desk.pk,
        "date_from": day.isoformat(),
        "date_to": day.isoformat(),
        "po_reference": "PO-14",
        "w-TOTAL_FORMS": str(rows if total is None else total),
        "w-INITIAL_FORMS": "0",
    }
    for i in range(rows):
        data.update(_row(i))
    data.update(extra)
    return data


def _options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no <select> for {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_language_and_municipality_are_sorted_dropdowns(web):
    page = web.get(reverse(NEW)).getvalue().decode()
    languages = _options(page, "w-0-language")
    assert len(languages) == 12
    names = [label for _value, label in languages]
    assert names == sorted(names, key=str.casefold)
    assert ("pl", "Polish (pl)") in languages
    assert re.search(r'<option value="en" selected>', page)  # English by default
    municipalities = _options(page, "w-0-municipality_of_residence")
    assert municipalities[0][0] == ""  # "Choose a municipality"
    assert len(municipalities) - 1 == Municipality.objects.count()
    assert ("GM0826", "Oosterhout") in municipalities


def test_add_a_worker_without_javascript_keeps_what_was_typed(web, desk, next_monday):
    data = _data(desk, next_monday, rows=1, add_rows="1")
    response = web.post(reverse(NEW), data)
    assert response.status_code == 200
    page = response.getvalue().decode()
    assert 'name="w-TOTAL_FORMS" value="2"' in page
    assert 'name="w-1-first_name"' in page and 'value="Ana0"' in page
    assert 'value="PO-14"' in page
    assert GroupBooking.objects.count() == 0


def test_more_rows_than_the_old_five_are_booked(web, desk, next_monday):
    response = web.post(reverse(NEW), _data(desk, next_monday, rows=8, total=10))
    assert response.status_code == 302, response.context["roster_errors"]
    assert GroupBooking.objects.get().appointments.count() == 8  # empty rows skipped


@override_settings(GROUP_BOOKING_MAX_SIZE=3)
def test_more_rows_than_the_maximum_are_refused(web, desk, next_monday):
    page = web.get(reverse(NEW)).getvalue().decode()
    assert 'data-max="3"' in page
    response = web.post(reverse(NEW), _data(desk, next_monday, rows=4))
    assert response.status_code == 200
    assert [e["code"] for e in response.context["roster_errors"]] == ["too_many"]
    assert GroupBooking.objects.count() == 0


def test_where_validates_only_its_own_field(web, desk, next_monday, reference):
    region = Region.objects.get(pk=desk.region_id)
    data = _data(desk, next_monday, rows=1, target="region", region=region.pk, bus_visit="nonsense")
    data["location"] = "999999"  # a hidden, stale field: ignored
    response = web.post(reverse(NEW), data)
    assert response.status_code == 302, response.context["form"].errors
    group = GroupBooking.objects.get()
    assert group.region == region and group.location == desk


def test_bus_visit_ignores_the_desk_and_dates(web, reference, hr, next_monday):
    bus = f.location(kind="bus", counters={"Bus 1": ["brp", "rni", "zvw"]})
    visit = f.bus_visit(bus=bus, date=next_monday, employer=hr.bmip_profile.employer)
    data = _data(bus, next_monday, rows=1, target="bus", bus_visit=visit.pk)
    data.update(location="999999", date_from="not a date", date_to="")
    response = web.post(reverse(NEW), data)
    assert response.status_code == 302, response.context["form"].errors
    assert GroupBooking.objects.get().bus_visit == visit


def test_the_chosen_where_still_needs_its_field(web, desk, next_monday):
    data = _data(desk, next_monday, rows=1, target="region")
    response = web.post(reverse(NEW), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"region": ["Choose one."]}


def test_refused_file_is_named_and_the_other_fields_are_kept(web, desk, next_monday):
    content = (
        b"first_name,last_name,birth_date,nationality,expected_stay_months,"
        b"municipality_of_residence,email\n"
        b"Ana,Pop,1995-03-03,RO,6,Tilburg,ana@example.org\n"
        b"Jan,Nowak,1990-01-01,PL,6,Breda,jan@\n"
    )
    upload = io.BytesIO(content)
    upload.name = "workers-march.csv"
    data = _data(desk, next_monday, rows=0, total=3, roster=upload)
    response = web.post(reverse(NEW), data)
    assert response.status_code == 200
    page = response.getvalue().decode()
    assert "The file workers-march.csv was refused" in page
    assert [(e["row"], e["field"], e["code"]) for e in response.context["roster_errors"]] == [
        (3, "email", "invalid_email")
    ]
    assert 'value="PO-14"' in page
    assert f'value="{next_monday.isoformat()}"' in page
    assert response.context["form"].errors["roster"] == [
        "workers-march.csv was refused (see above); choose the corrected file again."
    ]
    assert GroupBooking.objects.count() == 0


def test_portal_pages_have_no_inline_script(web, desk, next_monday):
    web.post(reverse(NEW), _data(desk, next_monday, rows=1))
    group = GroupBooking.objects.get()
    code = group.appointments.get().booking_code
    for url in (
        reverse("scheduling:portal"),
        reverse(NEW),
        reverse("scheduling:portal-group", args=[group.reference]),
        reverse("scheduling:portal-worker-cancel", args=[group.reference, code]),
    ):
        page = web.get(url).getvalue().decode()
        assert inline_scripts(page) == [], url
        # The site layout (base.html, another part of the work) is not this page's content.
        main = page[page.index("<main") : page.index("</main>")]
        assert not re.search(r"\son[a-z]+=", main), url


def test_group_booking_and_waitlist_share_the_where_fields():
    """One definition of "where" (desk or region, dates) for the portal's two forms: the
    waitlist and the group booking both take scheduling.forms.WhereFieldsMixin's fields and
    its rule (only the chosen place counts), the group booking adding the bus."""
    from scheduling.forms import WhereFieldsMixin
    from scheduling.group_booking.forms import GroupBookingTargetForm
    from scheduling.waitlist.forms import WaitlistJoinForm

    shared = ("target", "location", "region", "date_from", "date_to")
    for form in (GroupBookingTargetForm, WaitlistJoinForm):
        assert issubclass(form, WhereFieldsMixin)
        assert "clean" not in vars(form)
        for name in shared:
            assert form.declared_fields[name] is WhereFieldsMixin.declared_fields[name]
    order = list(GroupBookingTargetForm().fields)[:6]
    assert order == [*shared[:3], "bus_visit", *shared[3:]]
    waiting = WaitlistJoinForm({"target": "region", "location": "nonsense", "date_from": ""})
    assert not waiting.is_valid()
    assert "location" not in waiting.errors  # ignored: the region was chosen
    assert {"region", "date_from", "date_to"} <= set(waiting.errors)  # dates required here
    booking = GroupBookingTargetForm({"target": "bus", "date_from": "nonsense"})
    assert not booking.is_valid()
    assert set(booking.errors) == {"bus_visit"}  # dates ignored for the bus
