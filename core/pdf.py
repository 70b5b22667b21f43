"""PDF rendering: the one way the project turns a template into a PDF (weasyprint).

Speed: one font configuration per process and stylesheets parsed once (``stylesheet``), so
the second document renders warm. Safety: weasyprint only gets ``data:`` URLs and files under
the project's static directories (``StaticOnlyFetcher``); anything else is refused and
logged, and the document renders without it. Fonts come from the system (DejaVu via
fontconfig: Latin Extended and Cyrillic).
"""

import functools
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)


class URLRefused(ValueError):
    pass


def _static_roots() -> list[Path]:
    roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


class StaticOnlyFetcher(URLFetcher):
    """Fetch ``data:`` URLs and files under the project's static directories; refuse the rest
    (http(s), ftp, other files). weasyprint skips a refused resource and keeps rendering."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, **kwargs)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in _static_roots()) and path.is_file():
                return super().fetch(url, headers)
        self.refused.append(url)
        logger.warning("pdf: refused to fetch %s", url[:100])
        raise URLRefused(f"refused: {url[:100]}")


def static_base_url() -> str:
    return Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"


@functools.cache
def font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def stylesheet(static_path: str = "", css: str = "") -> CSS:
    """A stylesheet parsed once per process: a file under static/ or a CSS string."""
    if static_path:
        return CSS(
            filename=str(Path(settings.STATICFILES_DIRS[0]) / static_path),
            url_fetcher=StaticOnlyFetcher(),
            font_config=font_config(),
        )
    return CSS(string=css, font_config=font_config())


UA_STYLESHEET = "css/pdf-ua.css"


class _ProjectHTML(HTML):
    """A weasyprint document with the project's user-agent stylesheet (static/css/pdf-ua.css:
    HTML's defaults for the elements our PDF templates use) instead of weasyprint's full one,
    against which every element was matched: 8 % of a ticket's instructions. Should
    weasyprint stop asking for ``_ua_stylesheets``, its own sheet applies again (same look)."""

    def _ua_stylesheets(self, forms=False):
        return [stylesheet(UA_STYLESHEET)]


def pdf_layout(html: str, *, stylesheets: list[CSS] | tuple = ()):
    """Lay ``html`` out into a weasyprint ``Document`` (pages can be combined or trimmed)."""
    document = _ProjectHTML(
        string=html, base_url=static_base_url(), url_fetcher=StaticOnlyFetcher()
    )
    return document.render(stylesheets=list(stylesheets), font_config=font_config())


def render_document(template_name: str, context: dict, *, stylesheets: list[CSS] | tuple = ()):
    """Render ``template_name`` with ``context`` (in the active language) and lay it out."""
    return pdf_layout(render_to_string(template_name, context), stylesheets=stylesheets)


def render_pdf(template_name: str, context: dict, *, stylesheets: list[CSS] | tuple = ()) -> bytes:
    """Render ``template_name`` with ``context`` (in the active language) to PDF bytes."""
    return render_document(template_name, context, stylesheets=stylesheets).write_pdf()
