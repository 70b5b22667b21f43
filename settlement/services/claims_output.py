"""Claim statements as CSV, XLSX (``core.exports``) and PDF (``core.pdf``): a header and one
row per claim line, with its pseudonymous reference (no name, no BSN)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.exports import Table, table_csv, table_xlsx
from core.pdf import render_pdf
from settlement.models import ClaimStatement
from settlement.selectors.claims import claim_statement_lines

CLAIM_COLUMNS = [
    "statement_number",
    "quarter",
    "party",
    "municipality_code",
    "line_id",
    "reference",
    "service_date",
    "variant",
    "amount",
    "reverses_line_id",
]


def claim_rows(statement: ClaimStatement):
    fields = ["pk", "reference", "service_date", "variant", "amount", "reverses_id"]
    yield from claim_statement_lines(statement).values_list(*fields).iterator(chunk_size=5000)


def claim_table(statement: ClaimStatement) -> Table:
    code = statement.municipality.cbs_code if statement.municipality_id else ""
    fixed = [statement.number, statement.quarter, statement.party, code]
    rows = [
        fixed + [pk, ref, day, variant, amount, rev]
        for pk, ref, day, variant, amount, rev in claim_rows(statement)
    ]
    footer = [""] * len(CLAIM_COLUMNS)
    footer[CLAIM_COLUMNS.index("amount") - 1] = str(_("Total"))
    footer[CLAIM_COLUMNS.index("amount")] = sum((r[8] for r in rows), Decimal("0.00"))
    return Table(columns=CLAIM_COLUMNS, rows=rows, footer=footer, title=f"claim {statement.number}")


def claim_pdf(statement: ClaimStatement) -> bytes:
    return render_pdf(
        "settlement/claim_pdf.html",
        {"statement": statement, "lines": list(claim_rows(statement))},
    )


def claim_export(statement: ClaimStatement, fmt: str) -> tuple[bytes, str]:
    if fmt == "pdf":
        content = claim_pdf(statement)
    elif fmt == "csv":
        content = table_csv(claim_table(statement))
    else:
        content = table_xlsx(claim_table(statement))
    return content, f"claim-{statement.number}.{fmt}"
