"""Settlement output: the statement as CSV (one row per line; columns in
docs/settlement-csv.md) and PDF (summary page + detail lines, ``core.pdf``), the e-mail to
the finance contact, and the cost split report as CSV and PDF. Views only hand these to
``core.downloads.file_response``.

The BSN is only included when settings.BSN_LEGAL_BASIS is on *and* the caller asks for it
(a portal download by an authorised user, audited). E-mailed files never contain a BSN.
"""

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.exports import Table, table_csv, table_xlsx
from core.money import round_money
from core.pdf import render_document, render_pdf
from settlement.constants import line_label_short
from settlement.models import Statement, StatementDelivery
from settlement.selectors.cost_split import CostSplit
from settlement.selectors.statements import (
    StatementView,
    payment_advice,
    statement_issuer,
    statement_lines_signed,
    statement_view,
)

CSV_COLUMNS = [
    "statement_number",
    "period",
    "municipality_code",
    "municipality_name",
    "line_id",
    "reference",
    "registration_date",
    "registration_kind",
    "line_kind",
    "direction",
    "counterparty_code",
    "counterparty_name",
    "amount",
    "reverses_line_id",
]
CSV_BSN_COLUMN = "bsn"


def bsn_allowed() -> bool:
    return bool(getattr(settings, "BSN_LEGAL_BASIS", False))


def _line_rows(view: StatementView, *, include_bsn: bool):
    """Rows of the statement's lines, seen from the statement's municipality: the sign and
    direction come from ``statement_lines_signed`` (receivable positive, payable negative)."""
    fields = [
        "pk",
        "reference",
        "registration_date",
        "registration_kind",
        "kind",
        "direction",
        "payer__cbs_code",
        "payer__name",
        "payee__cbs_code",
        "payee__name",
        "signed_amount",
        "reverses_id",
    ]
    if include_bsn:
        fields.append("record__bsn")
    qs = statement_lines_signed(municipality=view.municipality, period=view.period)
    for row in qs.values_list(*fields).iterator(chunk_size=5000):
        pk, ref, day, reg_kind, kind, direction, payer_code, payer_name = row[:8]
        payee_code, payee_name, amount, reverses_id = row[8:12]
        receivable = direction == "receivable"
        yield {
            "line_id": pk,
            "reference": ref,
            "registration_date": day.isoformat(),
            "registration_kind": reg_kind,
            "line_kind": kind,
            "direction": direction,
            "counterparty_code": payer_code if receivable else payee_code,
            "counterparty_name": payer_name if receivable else payee_name,
            "amount": round_money(amount),
            "reverses_line_id": reverses_id or "",
            **({CSV_BSN_COLUMN: row[12] or ""} if include_bsn else {}),
        }


def statement_table(view: StatementView, *, include_bsn: bool = False) -> Table:
    """The statement's lines as a table (core.exports): typed amounts and dates."""
    include_bsn = include_bsn and bsn_allowed()
    columns = CSV_COLUMNS + ([CSV_BSN_COLUMN] if include_bsn else [])
    fixed = [
        view.number or "DRAFT",
        view.period.label,
        view.municipality.cbs_code,
        view.municipality.name,
    ]
    rows = []
    for row in _line_rows(view, include_bsn=include_bsn):
        row["registration_date"] = dt.date.fromisoformat(row["registration_date"])
        row["reverses_line_id"] = row["reverses_line_id"] or None
        rows.append(fixed + [row[c] for c in columns[4:]])
    footer = [""] * len(columns)
    footer[columns.index("amount") - 1] = str(_("Total"))
    footer[columns.index("amount")] = sum((r[columns.index("amount")] for r in rows), Decimal(0))
    return Table(columns=columns, rows=rows, footer=footer, title=f"statement {fixed[0]}"[:31])


def statement_csv(view: StatementView, *, include_bsn: bool = False) -> bytes:
    return table_csv(statement_table(view, include_bsn=include_bsn))


def statement_xlsx(view: StatementView, *, include_bsn: bool = False) -> bytes:
    return table_xlsx(statement_table(view, include_bsn=include_bsn))


def statement_pdf(view: StatementView, *, include_bsn: bool = False) -> bytes:
    return statement_pdf_document(view, include_bsn=include_bsn).write_pdf()


def statement_pdf_document(view: StatementView, *, include_bsn: bool = False):
    """The statement laid out (a weasyprint ``Document``): ``statement_pdf`` writes it."""
    include_bsn = include_bsn and bsn_allowed()
    return render_document(
        "settlement/statement_pdf.html",
        {
            "view": view,
            "summary": _pdf_summary(view),
            "listing": _pdf_listing(view, include_bsn=include_bsn),
            "include_bsn": include_bsn,
            "issuer": statement_issuer(),
            "advice": payment_advice(view),
        },
    )


# WeasyPrint's cost is per box and per line box, not per character: a table cell costs about
# 1 ms of CPU, a line of preformatted text about 0.5 ms. A statement has up to ~60
# counterparties and thousands of lines, so both its summary and its detail lines are set as
# fixed-width text (DejaVu Sans Mono) in one ``<pre>`` per block, columns padded with spaces.
#
# The detail lines go on landscape A4 pages: 267 mm of text width holds 179 characters at
# 7 pt (0.602 em each). When two entries fit side by side they are printed in two columns per
# page (top to bottom, then the right-hand column), which halves the line boxes; a wider
# entry (long names, the BSN column) gets one column, wrapped if it must be.
LISTING_LINE_CHARS = 176
LISTING_GUTTER = " " * 4
# Rows of one page: 183 mm of page height at 9.8 pt a row is 52 rows; the heading of the first
# detail page and each column header take four, and a few are kept in reserve.
LISTING_ROWS_PER_PAGE = 48


@dataclass(frozen=True)
class ListingPage:
    head: str
    body: str


@dataclass(frozen=True)
class PdfListing:
    pages: list[ListingPage]
    columns: int
    wraps: bool


def _columns(titles: list, rows: list[list[str]], right: set[int], gap: str = "  "):
    """A function formatting one row of ``rows`` in columns as wide as their widest value."""
    widths = [max(len(str(t)), *(len(r[i]) for r in rows)) for i, t in enumerate(titles)]

    def fmt(cells) -> str:
        return gap.join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return fmt, sum(widths) + len(gap) * (len(widths) - 1)


def _pdf_summary(view: StatementView) -> dict:
    """The summary per counterparty as fixed-width text: head, body and total line."""
    titles = [_("Counterparty"), _("CBS code"), _("Lines"), _("Receivable"), _("Payable"), _("Net")]
    rows = [
        [c.name, c.code, str(c.lines), str(c.receivable), str(c.payable), str(c.net)]
        for c in view.counterparties
    ]
    total = [
        str(_("Total")),
        "",
        str(view.line_count),
        str(view.receivable_total),
        str(view.payable_total),
        str(view.net_total),
    ]
    fmt, _width = _columns(titles, [*rows, total], right={2, 3, 4, 5})
    return {
        "head": fmt(titles).rstrip(),
        "body": "\n".join(fmt(r).rstrip() for r in rows),
        "total": fmt(total).rstrip(),
    }


def _pdf_listing(view: StatementView, *, include_bsn: bool) -> PdfListing:
    """The detail lines as fixed-width text, in pages of one or two columns.

    The amount is signed as seen from the statement's municipality (received positive, paid
    negative, as the note under the summary says), so the listing needs no direction column.
    Every printed character costs render time (a glyph each, spaces too), so the kind is the
    short label and the counterparty, the widest column, comes last: the right-hand entry of a
    line needs no padding after it."""
    titles = [_("Reference"), _("Date"), _("Kind"), _("Amount")]
    if include_bsn:
        titles.append("BSN")
    titles.append(_("Counterparty"))
    label = functools.cache(line_label_short)  # translated once per kind, not once per line
    rows = [
        [
            row["reference"],
            row["registration_date"],
            label(row["line_kind"], row["registration_kind"] or ""),
            str(row["amount"]),
            *([row[CSV_BSN_COLUMN]] if include_bsn else []),
            row["counterparty_name"],
        ]
        for row in _line_rows(view, include_bsn=include_bsn)
    ]
    fmt, width = _columns(titles, rows, right={3})
    entries = [fmt(r) for r in rows]
    head = fmt(titles)
    if 2 * width + len(LISTING_GUTTER) > LISTING_LINE_CHARS:
        body = "\n".join(e.rstrip() for e in entries)
        return PdfListing(
            pages=[ListingPage(head=head.rstrip(), body=body)],
            columns=1,
            wraps=width > LISTING_LINE_CHARS,
        )
    pages = []
    per_page = 2 * LISTING_ROWS_PER_PAGE
    for start in range(0, max(len(entries), 1), per_page):
        chunk = entries[start : start + per_page]
        half = (len(chunk) + 1) // 2  # the last page's columns balanced
        lines = [
            (chunk[k] + LISTING_GUTTER + chunk[half + k]) if half + k < len(chunk) else chunk[k]
            for k in range(half)
        ]
        two_heads = head + LISTING_GUTTER + head if len(chunk) > 1 else head
        pages.append(
            ListingPage(head=two_heads.rstrip(), body="\n".join(line.rstrip() for line in lines))
        )
    return PdfListing(pages=pages, columns=2, wraps=False)


def audit_bsn_export(*, actor, view: StatementView, fmt: str, count: int | None = None) -> None:
    """Log that ``actor`` saw the BSNs behind a statement (BIO 12.4)."""
    target = (
        {"obj": view.statement}
        if view.statement is not None
        else {
            "object_type": Statement._meta.label_lower,
            "object_id": f"draft:{view.municipality.cbs_code}:{view.period.label}",
        }
    )
    audit_log(
        actor=actor,
        action="settlement.bsn_view",
        basis="BSN_LEGAL_BASIS",  # a fixed legal basis, kept (typed reasons are erasable notes)
        format=fmt,
        lines=count,
        **target,
    )


def statement_filename(view: StatementView, ext: str) -> str:
    name = view.number or f"draft-{view.period.label}-{view.municipality.cbs_code}"
    return f"statement-{name}.{ext}"


def statement_export(
    *, view: StatementView, fmt: str, actor, with_bsn: bool = True
) -> tuple[bytes | str, str]:
    """The statement as ``fmt`` (``pdf``, ``csv`` or ``xlsx``) and its file name, for ``actor``: with
    the BSNs when ``with_bsn`` and the legal basis allows it, and then audited."""
    include_bsn = with_bsn and bsn_allowed()
    if include_bsn:
        audit_bsn_export(actor=actor, view=view, fmt=fmt, count=view.line_count)
    render = {"pdf": statement_pdf, "csv": statement_csv, "xlsx": statement_xlsx}[fmt]
    return render(view, include_bsn=include_bsn), statement_filename(view, fmt)


def statement_email(*, statement: Statement, actor=None) -> bool:
    """E-mail an issued statement (PDF + CSV, never a BSN) to the finance contact, once.

    The delivery row is written first in the same transaction as the send: a second run (or a
    concurrent worker) finds it and sends nothing; a failed send rolls the row back.
    """
    to = statement.municipality.finance_email
    if not to or StatementDelivery.objects.filter(statement=statement).exists():
        return False
    view = statement_view(statement)
    try:
        with transaction.atomic():
            StatementDelivery.objects.create(statement=statement, sent_to=to)
            with translation.override("nl"):
                subject = _("Settlement statement %(number)s, period %(period)s") % {
                    "number": statement.number,
                    "period": statement.period.label,
                }
                body = render_to_string(
                    "settlement/statement_email.txt",
                    {"view": view, "statement": statement, "site_url": settings.SITE_URL},
                )
            message = EmailMessage(subject=subject, body=body, to=[to])
            message.attach(statement_filename(view, "pdf"), statement_pdf(view), "application/pdf")
            message.attach(statement_filename(view, "csv"), statement_csv(view), "text/csv")
            message.send(fail_silently=False)
            audit_log(
                actor=actor, action="statement.email", obj=statement, to_domain=to.split("@")[-1]
            )
    except IntegrityError:
        return False
    return True


# --- Cost split report -----------------------------------------------------------------------

COST_SPLIT_COLUMNS = ["party", "name", "cbs_code", "population", "share_percent", "amount"]


def cost_split_table(result: CostSplit) -> Table:
    """The cost split: the state, the province, then each municipality (their amounts add up
    to the total, which is only in the XLSX footer)."""
    rows = [
        [key, key, None, None, result.shares[key], result.parts[key]]
        for key in ("state", "province")
    ]
    for row in result.municipalities:
        m = row["municipality"]
        rows.append(
            [
                "municipality",
                m.name,
                m.cbs_code,
                row["population"],
                row["share_percent"],
                row["amount"],
            ]
        )
    footer = ["", str(_("Total")), "", "", None, result.total]
    return Table(
        columns=COST_SPLIT_COLUMNS, rows=rows, footer=footer, title=f"cost split {result.year}"
    )


def cost_split_csv(result: CostSplit) -> bytes:
    return table_csv(cost_split_table(result))


def cost_split_xlsx(result: CostSplit) -> bytes:
    return table_xlsx(cost_split_table(result))


def cost_split_pdf(result: CostSplit) -> bytes:
    return render_pdf("settlement/cost_split_pdf.html", {"result": result})


def cost_split_filename(result: CostSplit, ext: str) -> str:
    return f"cost-split-{result.year}.{ext}"
