import pytest
from django.core.management import call_command

from scheduling.models import Municipality, PopulationFigure, Region
from scheduling.services.reference import population_import, reference_load

pytestmark = pytest.mark.django_db


def test_56_municipalities_each_in_one_region():
    reference_load()
    assert Municipality.objects.count() == 56
    tops = {r.name: r for r in Region.objects.filter(parent__isnull=True)}
    assert set(tops) == {"West-Brabant", "Midden-Brabant", "Noordoost-Brabant", "Zuidoost-Brabant"}
    subs = set(
        Region.objects.filter(parent=tops["Zuidoost-Brabant"]).values_list("name", flat=True)
    )
    assert subs == {"Eindhoven", "Helmond-De Peel"}

    def top_of(m):
        return m.region.parent or m.region

    counts = {}
    for m in Municipality.objects.select_related("region__parent"):
        counts[top_of(m).name] = counts.get(top_of(m).name, 0) + 1
    assert counts == {
        "West-Brabant": 16,
        "Midden-Brabant": 9,
        "Noordoost-Brabant": 10,
        "Zuidoost-Brabant": 21,
    }
    assert Municipality.objects.filter(region__name="Eindhoven").count() == 14
    assert Municipality.objects.filter(region__name="Helmond-De Peel").count() == 7
    core = set(Municipality.objects.filter(is_core=True).values_list("name", flat=True))
    assert core == {"Breda", "Tilburg", "'s-Hertogenbosch", "Eindhoven", "Helmond"}


def test_load_reference_twice_changes_nothing(capsys):
    call_command("load_reference")
    snapshot = list(Municipality.objects.order_by("pk").values())
    regions = list(Region.objects.order_by("pk").values())
    call_command("load_reference")
    assert list(Municipality.objects.order_by("pk").values()) == snapshot
    assert list(Region.objects.order_by("pk").values()) == regions
    assert "municipalities created: 0" in capsys.readouterr().out


def test_coordinator_region_edit_survives_reload():
    reference_load()
    alphen = Municipality.objects.get(cbs_code="GM1723")
    midden = Region.objects.get(name="Midden-Brabant")
    alphen.region = midden
    alphen.save()
    reference_load()
    alphen.refresh_from_db()
    assert alphen.region == midden


def _csv(tmp_path, text):
    path = tmp_path / "population.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_population_import_good_file(tmp_path):
    reference_load()
    path = _csv(tmp_path, "cbs_code,population,year\nGM0758,184716,2024\nGM0855,229836,2024\n")
    result = population_import(path=path)
    assert result.errors == []
    assert result.imported == 2
    assert (
        PopulationFigure.objects.get(municipality__cbs_code="GM0758", year=2024).population
        == 184716
    )
    # Re-importing a corrected figure replaces it.
    population_import(path=_csv(tmp_path, "cbs_code;population;year\nGM0758;185000;2024\n"))
    assert (
        PopulationFigure.objects.get(municipality__cbs_code="GM0758", year=2024).population
        == 185000
    )
    assert PopulationFigure.objects.count() == 2


def test_population_import_bad_rows_reported_with_line_and_nothing_imported(tmp_path):
    reference_load()
    path = _csv(
        tmp_path,
        "cbs_code,population,year\n"
        "GM0758,184716,2024\n"
        "GM9999,1000,2024\n"
        "GM0855,-5,2024\n"
        "GM0796,160000,24\n"
        "GM0758,1,2024\n",
    )
    result = population_import(path=path)
    assert result.imported == 0
    assert PopulationFigure.objects.count() == 0
    joined = "\n".join(result.errors)
    assert "Line 3: unknown CBS code 'GM9999'" in joined
    assert "Line 4: population must be a positive whole number" in joined
    assert "Line 5: year must be a four-digit year" in joined
    assert "Line 6: GM0758 2024 is also on line 2" in joined


def test_population_import_missing_column(tmp_path):
    reference_load()
    result = population_import(path=_csv(tmp_path, "code,inhabitants\nGM0758,1\n"))
    assert result.errors and "missing column" in result.errors[0]


def test_import_population_command_fails_loudly(tmp_path):
    from django.core.management.base import CommandError

    reference_load()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command(
            "import_population", str(_csv(tmp_path, "cbs_code,population,year\nX,1,2024\n"))
        )
