"""Open a page in headless Debian Chromium, as a user would, with the network cut off.

Import from any test folder::

    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).parents[1]))  # the tests/ folder
    from browser_support import open_page, browser_session

``open_page(path)`` opens, waits until usable, takes a screenshot and closes; it returns a
:class:`PageReport`. ``browser_session()`` yields a :class:`BrowserSession` whose ``open`` keeps
the page open for interaction (``report.page``). Every request that is not ``file:``, ``data:``
or ``blob:`` is aborted and recorded. Chromium is never downloaded: the Debian package
``/usr/bin/chromium`` is used (``CHROMIUM`` overrides the path). When it, or the playwright
package, is missing the test is skipped, or failed when the ``CI`` variable is set.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

__all__ = ["CHROMIUM_ARGS", "PageReport", "BrowserSession", "browser_session", "open_page", "chromium_path", "require_browser"]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
READY_JS = "() => document.body !== null && document.body.getAttribute('data-ready') === '1'"


def chromium_path() -> str | None:
    """The Chromium executable to use, or None when there is none."""
    candidate = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_browser() -> str:
    """Return the Chromium path; skip the test (fail under CI) when Chromium or playwright is missing."""
    reason = None
    path = chromium_path()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[test]')"
    if reason is None and path is None:
        reason = "Debian chromium is not installed (make browser, or apt-get install chromium)"
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run: {reason}", pytrace=False)
        pytest.skip(f"browser test skipped: {reason}")
    return path


@dataclass
class PageReport:
    """What happened while a page was open.

    Attributes
    ----------
    url : str
        The ``file://`` URL opened.
    blocked_requests : list of str
        URLs of every request that was not local (all were aborted).
    console_errors, page_errors, dialogs : list of str
        Console messages of type ``error``, uncaught exceptions, and ``alert``/``confirm``/…
        dialogs (dismissed at once).
    ready : bool
        Whether the page set ``data-ready="1"`` on ``<body>`` within the timeout.
    usable_ms : float or None
        ``performance.now()`` when the page said it was ready (ms since navigation start).
    wall_ms : float
        Wall-clock time from the start of navigation until ready (or the timeout).
    screenshot : pathlib.Path or None
        The screenshot written, if any.
    page : playwright Page or None
        The live page (only while its session is open).
    """

    url: str
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    ready: bool = False
    usable_ms: float | None = None
    wall_ms: float = 0.0
    screenshot: Path | None = None
    page: object = None
    _context: object = field(default=None, repr=False)

    @property
    def clean(self) -> bool:
        """No external request, console error, page error or dialog."""
        return not (self.blocked_requests or self.console_errors or self.page_errors or self.dialogs)

    def problems(self) -> str:
        """A readable summary for assertion messages."""
        return f"blocked={self.blocked_requests} console={self.console_errors} page_errors={self.page_errors} dialogs={self.dialogs}"

    def take_screenshot(self, path) -> Path:
        """Save a PNG of the viewport to `path` (parent folders are created)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        self.screenshot = path
        return path


_ACTIVE: list = []  # sessions open now; playwright's sync API cannot start a second one inside


class BrowserSession:
    """One Chromium instance; :meth:`open` gives each page its own context."""

    def __init__(self, browser):
        self.browser = browser
        self._contexts = []

    def open(self, path, *, screenshot=None, viewport=(1400, 900), timeout_s: float = 30.0, ready_js: str = READY_JS) -> PageReport:
        """Open a local HTML file and wait until it is usable.

        Parameters
        ----------
        path : str or os.PathLike
            The HTML file.
        screenshot : str or os.PathLike, optional
            Where to save a PNG once the page is ready.
        viewport : (int, int), optional
            Window size in CSS pixels.
        timeout_s : float, optional
            How long to wait for readiness; the report says ``ready=False`` when it ran out.
        ready_js : str, optional
            A JavaScript predicate for readiness; by default ``data-ready="1"`` on ``<body>``.

        Returns
        -------
        PageReport
            With ``page`` set; the page stays open until the session closes.
        """
        url = Path(path).resolve().as_uri()
        report = PageReport(url=url)
        context = self.browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, device_scale_factor=1)
        self._contexts.append(context)
        report._context = context

        def route(route_):
            request_url = route_.request.url
            if request_url.startswith(LOCAL_SCHEMES):
                route_.continue_()
            else:
                report.blocked_requests.append(request_url)
                route_.abort()

        context.route("**/*", route)
        page = context.new_page()
        report.page = page
        page.on("console", lambda msg: report.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: report.page_errors.append(str(exc)))

        def on_dialog(dialog):
            report.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        start = time.perf_counter()
        page.goto(url, wait_until="load", timeout=timeout_s * 1000)
        try:
            page.wait_for_function(ready_js, timeout=max(1.0, timeout_s - (time.perf_counter() - start)) * 1000, polling=20)
            report.ready = True
        except Exception:  # playwright TimeoutError
            report.ready = False
        report.wall_ms = round((time.perf_counter() - start) * 1000, 1)
        if report.ready:
            value = page.evaluate("() => (window.samverkanView && window.samverkanView.readyMs) || null")
            report.usable_ms = float(value) if value is not None else None
        if screenshot is not None:
            report.take_screenshot(screenshot)
        return report

    def close_page(self, report: PageReport):
        """Close the page of `report` (and its context); the report keeps what it recorded."""
        context = getattr(report, "_context", None)
        if context is not None and context in self._contexts:
            self._contexts.remove(context)
            with contextlib.suppress(Exception):
                context.close()
        report.page = None

    def close(self):
        for context in self._contexts:
            with contextlib.suppress(Exception):
                context.close()
        self._contexts.clear()


@contextlib.contextmanager
def browser_session():
    """Launch Debian Chromium through playwright; yields a :class:`BrowserSession`.

    When a session is already open in this process (playwright's sync API allows only one), that
    one is shared instead of launching a second browser.
    """
    if _ACTIVE:
        yield _ACTIVE[-1]
        return
    executable = require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        session = BrowserSession(browser)
        _ACTIVE.append(session)
        try:
            yield session
        finally:
            _ACTIVE.remove(session)
            session.close()
            browser.close()


def open_page(path, *, screenshot=None, viewport=(1400, 900), timeout_s: float = 30.0, ready_js: str = READY_JS) -> PageReport:
    """Open `path` in a fresh headless Chromium, wait until usable, screenshot, close.

    Returns the :class:`PageReport` (its ``page`` is closed and set to None). Inside an open
    :func:`browser_session` (e.g. a session fixture) that browser is reused.
    """
    with browser_session() as session:
        report = session.open(path, screenshot=screenshot, viewport=viewport, timeout_s=timeout_s, ready_js=ready_js)
        session.close_page(report)
    return report
