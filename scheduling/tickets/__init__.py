"""Tickets: QR code (``qr``), client-facing texts and checklist (``texts``), PDF (``pdf``),
HTML views (``views``) and the API view (``api``). Services live in
``scheduling.services.tickets``; the token in ``scheduling.tokens``."""
