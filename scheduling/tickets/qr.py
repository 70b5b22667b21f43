"""QR code images for ticket tokens (PNG, embedded in the PDF as a data: URL)."""

import base64
import io
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

# Module size in pixels: a screen (an <img> scaled by the browser) needs a larger box to keep
# edges crisp. A PDF does not: the ticket CSS sets ``image-rendering: pixelated`` (the PDF image
# gets /Interpolate false), so one pixel a module prints just as sharp and is far cheaper to
# embed (weasyprint decodes and re-encodes every image it embeds).
BOX_SIZE = 8
PDF_BOX_SIZE = 1
QUIET_ZONE = 4  # modules, as the QR standard requires


@dataclass(frozen=True)
class QrImage:
    png: bytes
    version: int

    @property
    def data_url(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def qr_render(data: str, *, box_size: int = BOX_SIZE) -> QrImage:
    """Smallest QR version that holds ``data`` at error correction M (15% damage).

    The PNG is 8-bit greyscale: weasyprint embeds that as it is, while a 1-bit image is first
    converted to RGB and encoded twice more."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=QUIET_ZONE)
    code.add_data(data, optimize=0)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return QrImage(png=buffer.getvalue(), version=code.version)
