"""Tickets: QR code (``qr``), client-facing texts and checklist (``texts``), PDF (``pdf``),
downloads and the background build of a group's PDF (``services``), HTML views (``views``,
routed by ``urls``) and the API view (``api``). The token lives in ``scheduling.tokens``."""
