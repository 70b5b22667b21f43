"""Checks on rendered HTML shared by the page tests."""

import re

# A <script> element without src: inline code, refused by the CSP (script-src 'self').
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)


def inline_scripts(html: str | bytes) -> list[str]:
    """The inline <script> tags of a page (an empty list when every script is a file)."""
    if isinstance(html, bytes):
        html = html.decode()
    return INLINE_SCRIPT.findall(html)
