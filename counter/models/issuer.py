"""The organisation that operates BMIP and issues the employer invoices (one row)."""

from django.utils.translation import gettext_lazy as _

from core.organisations import OrganisationDetails


class InvoiceIssuer(OrganisationDetails):
    """Name, address, KvK and VAT numbers, IBAN and payment term printed on every employer
    invoice. One row, edited in the admin; an issued invoice keeps a snapshot (``issuer``)."""

    class Meta:
        verbose_name = _("invoice issuer")
        verbose_name_plural = _("invoice issuer")

    def __str__(self):
        return self.legal_name
