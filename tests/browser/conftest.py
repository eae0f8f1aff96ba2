"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

No browser is downloaded: PATHWAYS_CHROMIUM (default /usr/bin/chromium) is launched headless with the
flags that keep it off the network. Outside CI a missing Chromium skips these tests; with CI=true it
fails them. Every page a test loads is checked with axe-core: no serious or critical violation.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls that tests make alongside it
# are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PATHWAYS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
    "--no-default-browser-check",
]
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set PATHWAYS_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


class Browsing:
    """What a browser test works with: the page, the server's address, and the checks every page gets."""

    def __init__(self, page, base_url, axe, checker_context=None):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.axe = axe
        self.checked: set[str] = set()
        # axe is JavaScript, so with JavaScript off it runs in a second page that has the same session.
        self.checker_context = checker_context

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        self.assert_accessible()
        return response

    def sign_in(self, user, password=None):
        from tests.factories import PASSWORD

        self.page.goto(self.url("/sign-in/"))
        self.page.get_by_label("Email address").fill(user.email)
        self.page.get_by_label("Password").fill(password or PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()

    def assert_accessible(self):
        """axe-core on the page as it is now: fails on any serious or critical violation."""
        page = self.page
        if self.checker_context is not None:
            self.checker_context.clear_cookies()
            self.checker_context.add_cookies(self.page.context.cookies())
            page = self.checker_context.pages[0] if self.checker_context.pages else self.checker_context.new_page()
            page.goto(self.page.url)
        results = self.axe.run(page)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        self.checked.add(self.page.url)
        assert not blocking, f"Accessibility violations on {self.page.url}:\n" + results.generate_report()


def _browsing(browser, live_server, axe, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    loaded: list[str] = []
    page.on("load", lambda p: loaded.append(p.url))
    checker = None if javascript else browser.new_context(base_url=live_server.url)
    browsing = Browsing(page, live_server.url, axe, checker)
    yield browsing
    # Every page the test loaded and did not check itself is checked now, as it stands for this session.
    for url in dict.fromkeys(loaded):
        if url not in browsing.checked and url.startswith(live_server.url):
            page.goto(url)
            browsing.assert_accessible()
    context.close()
    if checker is not None:
        checker.close()


@pytest.fixture
def web(browser, live_server, axe):
    """A browser with JavaScript, as most people use."""
    yield from _browsing(browser, live_server, axe, javascript=True)


@pytest.fixture
def web_without_js(browser, live_server, axe):
    """A browser with JavaScript turned off: core tasks must still work."""
    yield from _browsing(browser, live_server, axe, javascript=False)
