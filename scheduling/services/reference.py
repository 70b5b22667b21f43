"""Reference data: regions, municipalities (shipped CSV) and CBS population figures."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from scheduling.models import Municipality, PopulationFigure, Region

REFERENCE_CSV = Path(__file__).resolve().parent.parent / "data" / "brabant_municipalities.csv"

# Core municipalities that run the five desks, and the RNI desks in Noord-Brabant.
CORE_MUNICIPALITIES = {"GM0758", "GM0855", "GM0796", "GM0772", "GM0794"}
RNI_DESK_MUNICIPALITIES = {"GM0758", "GM0772"}


@dataclass
class ReferenceLoadResult:
    regions_created: int = 0
    municipalities_created: int = 0
    municipalities_unchanged: int = 0


@transaction.atomic
def reference_load(*, path: Path = REFERENCE_CSV) -> ReferenceLoadResult:
    """Load regions and municipalities. Idempotent: existing rows are left as they are, so a
    coordinator's edit of a region membership survives a second run."""
    result = ReferenceLoadResult()
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    regions: dict[tuple[str, str], Region] = {}

    def region_for(name: str, parent: Region | None) -> Region:
        key = (name, parent.name if parent else "")
        if key not in regions:
            region, created = Region.objects.get_or_create(name=name, defaults={"parent": parent})
            result.regions_created += int(created)
            regions[key] = region
        return regions[key]

    for row in rows:
        top = region_for(row["labour_market_region"].strip(), None)
        sub = row["subregion"].strip()
        region = region_for(sub, top) if sub else top
        code = row["cbs_code"].strip()
        _obj, created = Municipality.objects.get_or_create(
            cbs_code=code,
            defaults={
                "name": row["name"].strip(),
                "region": region,
                "is_core": code in CORE_MUNICIPALITIES,
                "is_rni_desk": code in RNI_DESK_MUNICIPALITIES,
                "reference_note": row["note"].strip()[:300],
            },
        )
        if created:
            result.municipalities_created += 1
        else:
            result.municipalities_unchanged += 1
    return result


@dataclass
class PopulationImportResult:
    imported: int = 0
    errors: list[str] = field(default_factory=list)


REQUIRED_POPULATION_COLUMNS = ("cbs_code", "population", "year")


def population_import(*, path: Path, actor=None) -> PopulationImportResult:
    """Import CBS population figures (columns cbs_code, population, year).

    Every row is checked first; any bad row is reported with its line number and nothing
    is imported. A figure for a (municipality, year) already present is replaced.
    """
    result = PopulationImportResult()
    rows = _population_rows_read(path, result.errors)
    if rows is None:
        return result
    parsed = _population_rows_parse(rows, result.errors)
    if not parsed and not result.errors:
        result.errors.append(_("The file has no data rows."))
    if result.errors:
        return result
    with transaction.atomic():
        for municipality, year, population in parsed:
            PopulationFigure.objects.update_or_create(
                municipality=municipality, year=year, defaults={"population": population}
            )
        audit_log(
            actor=actor,
            action="population.import",
            object_type="scheduling.populationfigure",
            object_id="*",
            rows=len(parsed),
        )
    result.imported = len(parsed)
    return result


def _population_rows_read(path: Path, errors: list) -> list[tuple[int, dict]] | None:
    """(line number, row) pairs of a comma, semicolon or tab separated file; None on error."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            reader = csv.DictReader(fh, dialect=dialect)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED_POPULATION_COLUMNS if c not in header]
            if missing:
                errors.append(
                    _("Line 1: missing column(s): %(cols)s.") % {"cols": ", ".join(missing)}
                )
                return None
            return [
                (
                    reader.line_num,
                    {(k or "").strip().lower(): (v or "").strip() for k, v in r.items()},
                )
                for r in reader
            ]
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(_("The file could not be read: %(err)s") % {"err": exc})
        return None


def _whole_number(text: str, *, low: int, high: int) -> int | None:
    try:
        value = int(text.replace(".", "").replace(" ", ""))
    except ValueError:
        return None
    return value if low <= value <= high else None


def _population_rows_parse(rows: list[tuple[int, dict]], errors: list) -> list[tuple]:
    """(municipality, year, population) per good row; an error per bad row."""
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    parsed, seen = [], {}
    for line, row in rows:
        code = row.get("cbs_code", "").upper()
        if code.isdigit():
            code = f"GM{int(code):04d}"
        municipality = municipalities.get(code)
        population = _whole_number(row.get("population", ""), low=1, high=10**9)
        year = _whole_number(row.get("year", ""), low=1900, high=2100)
        if municipality is None:
            errors.append(
                _("Line %(line)d: unknown CBS code %(code)r.") % {"line": line, "code": code}
            )
        elif population is None:
            errors.append(
                _("Line %(line)d: population must be a positive whole number.") % {"line": line}
            )
        elif year is None or "." in row.get("year", ""):
            errors.append(_("Line %(line)d: year must be a four-digit year.") % {"line": line})
        elif (code, year) in seen:
            errors.append(
                _("Line %(line)d: %(code)s %(year)d is also on line %(other)d.")
                % {"line": line, "code": code, "year": year, "other": seen[(code, year)]}
            )
        else:
            seen[(code, year)] = line
            parsed.append((municipality, year, population))
    return parsed
