"""One headless Chromium (Debian's) for the whole session; each test opens its own pages."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = os.environ.get("BMIP_SHOTS", "")  # a folder: journeys save their screenshots there
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AXE = os.environ.get("BMIP_AXE", "")  # path to axe.min.js (npm axe-core), optional


def axe_check(page, name: str, include: str | None = None) -> None:
    """Serious or critical axe-core findings fail the test (only when BMIP_AXE is set): the
    whole document, or the element ``include`` selects. Evaluated through the DevTools
    protocol: a <script> tag (add_script_tag) would be blocked by the page's CSP."""
    if not AXE:
        return
    page.evaluate(Path(AXE).read_text() + ";0")
    result = page.evaluate(
        "sel => axe.run(sel ? document.querySelector(sel) : document,"
        " {resultTypes: ['violations']})",
        include,
    )
    bad = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], (name, bad)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test
    # bodies are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(autouse=True)
def _close_connections():
    yield
    # While Playwright's loop runs in this thread, Django keeps this thread's database
    # connection in per-context storage; close it, or it outlives the test and PostgreSQL
    # refuses to drop the test database.
    from django.db import connections

    connections.close_all()


def shot(page, name: str) -> None:
    """Save a full-page screenshot as <BMIP_SHOTS>/<name>.png (when BMIP_SHOTS is set)."""
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def login(browser, live_server, username, *, viewport=DESKTOP):
    """A new page logged in through the login form."""
    page = browser.new_page(viewport=viewport)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-test-123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    return page
