"""The pages as a person uses them: a real headless Chromium (Debian's chromium and chromedriver) driven by
selenium against a real `clea serve` on loopback, with every host but 127.0.0.1 unresolvable (no network).

The server serves a git repository made for the tests: the frozen policies, then a board change committed on top
(the instruction fee at 350 € HT from 1 January 2027), so that Changements has two versions to compare.
Screenshots of what the tests saw are saved under build/screenshots/ (or $CLEA_SCREENSHOTS).
Without chromium the tests are skipped, unless CLEA_BROWSER_TESTS=required (CI) where that is a failure.
"""
from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from service.conftest import ACCOUNT_PASSWORD, POLICIES, ROOT, Server, accounts_file

CHROMIUM = Path(os.environ.get("CLEA_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CLEA_CHROMEDRIVER", "/usr/bin/chromedriver"))
SCREENSHOTS = Path(os.environ.get("CLEA_SCREENSHOTS", ROOT / "build" / "screenshots"))
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=fr-FR",
         "--window-size=1280,1000", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
BOARD_CHANGE = """
      - depuis: 2027-01-01
        valeur: "350.00"
        decision: {date: 2026-11-20, reference: "CA du 20 novembre 2026, délibération 7"}
"""


def _browser_missing() -> str | None:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        return f"no {CHROMIUM} or {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config, items):
    missing = _browser_missing()
    if missing is None:
        return
    if os.environ.get("CLEA_BROWSER_TESTS") == "required":
        raise pytest.UsageError(f"browser tests required but {missing}")
    for item in items:
        if "browser" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.skip(reason=missing))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, what the browser showed: a screenshot (ECHEC-<test>.png) and the address, in the report."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and isinstance(page, Page):
        try:
            shot = page.shot(f"ECHEC-{item.name}")
            report.sections.append(("navigateur", f"adresse : {page.driver.current_url}\ncapture : {shot}"))
        except Exception as exc:  # noqa: BLE001 - the browser itself may be what failed
            report.sections.append(("navigateur", f"pas de capture : {exc}"))


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=Tests", "-c", "user.email=tests@example.org", *args],
                   check=True, capture_output=True)


@pytest.fixture(scope="session")
def policies_repository(tmp_path_factory) -> Path:
    """A git repository with the frozen policies, then the board change committed: returns its policies folder."""
    root = tmp_path_factory.mktemp("depot")
    shutil.copytree(POLICIES, root / "policies")
    shutil.copytree(ROOT / "schemas", root / "schemas")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "politiques en service")
    parameters = root / "policies" / "certifpro" / "parametres.yaml"
    text = parameters.read_text(encoding="utf-8")
    anchor = '      - {depuis: 2020-02-25, valeur: "300.00"}\n'
    assert text.count(anchor) >= 1
    parameters.write_text(text.replace(anchor, anchor + BOARD_CHANGE.lstrip("\n"), 1), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "frais d'instruction : 350 € HT à partir du 1er janvier 2027")
    return root / "policies"


@pytest.fixture(scope="session")
def site(tmp_path_factory, policies_repository):
    workdir = tmp_path_factory.mktemp("serveur")
    server = Server(workdir, policies_repository)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def accounts_site(tmp_path_factory, policies_repository):
    """The same policies served with accounts (tests/service/conftest.py TEST_ACCOUNTS): every page needs one."""
    workdir = tmp_path_factory.mktemp("serveur-comptes")
    server = Server(workdir, policies_repository, env={"CLEA_ACCOUNTS": str(accounts_file(workdir))})
    yield server
    server.stop()


@pytest.fixture(scope="session")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("telechargements")


@pytest.fixture(scope="session")
def browser(downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")   # never let selenium look for drivers on the network
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "intl.accept_languages": "fr-FR,fr"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.implicitly_wait(10)     # a loaded machine may render late: an element is looked for up to 10 s
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, site):
    """The browser on the service without accounts (public pages), with helpers: page.open(path), page.click(…),
    page.shot(name)…"""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return Page(browser, site.url)


@pytest.fixture
def account_page(browser, accounts_site):
    """The browser on the service with accounts, nobody signed in (and no page of a former test open)."""
    browser.get("about:blank")
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    return Page(browser, accounts_site.url)


def _lost_node(exc) -> bool:
    text = str(exc)
    return "stale element" in text or "does not belong to the document" in text


def _gone(old):
    """A wait condition: the element has left the document. Selenium's staleness_of knows only the stale-element
    error; on a loaded machine chromedriver may answer "does not belong to the document" for the same fact."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def check(_driver) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if _lost_node(exc):
                return True
            raise
        return False
    return check


class Page:
    def __init__(self, driver, base: str):
        self.driver = driver
        self.base = base

    def open(self, path: str):
        self.driver.get(self.base + path)
        return self

    def find(self, css: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def click(self, target):
        """Click a link or a button (a CSS selector or an element) and wait for the page it leads to."""
        from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

        old = self.find("html")
        for attempt in range(3):
            element = self.find(target) if isinstance(target, str) else target
            try:
                element.click()
                break
            except (StaleElementReferenceException, WebDriverException) as exc:
                # on a loaded machine chromedriver may lose a node it just found ("does not belong to the
                # document"): a selector is looked for again; an element given as such cannot be
                if not isinstance(target, str) or attempt == 2 or not _lost_node(exc):
                    raise
        return self.wait_until_gone(old)

    def wait_until_gone(self, old):
        """Wait for the page that replaces the one `old` (its html element) belonged to."""
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(self.driver, 60).until(_gone(old))
        return self

    def sign_in(self, identifier: str, password: str = ACCOUNT_PASSWORD, *, then: str | None = None):
        """Sign in on the sign-in form (opened first, unless the browser is on it already), as a person does."""
        if then or not self.path.startswith("/connexion"):
            self.open("/connexion" + (f"?suite={then}" if then else ""))
        self.find("#identifiant").clear()
        self.find("#identifiant").send_keys(identifier)
        self.find("#mot_de_passe").send_keys(password)
        return self.click("form[action='/connexion'] button[type=submit]")

    def sign_out(self):
        return self.click("form[action='/deconnexion'] button[type=submit]")

    def set_date(self, css: str, iso: str):
        """Pick a day in a date field (its typed format follows the browser's locale; the value it sends does not)."""
        self.driver.execute_script("arguments[0].value = arguments[1]", self.find(css), iso)

    def text(self, css: str = "main") -> str:
        return self.find(css).text

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base)

    def shot(self, name: str) -> Path:
        """A full-page screenshot, as a person would have seen the page."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics["cssContentSize"]
        data = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        target.write_bytes(base64.b64decode(data["data"]))
        return target

    def axe(self) -> list[dict]:
        """axe-core's violations on the page (WCAG 2.1 A and AA, and its best practices), in French."""
        if not self.driver.execute_script("return !!window.axe"):
            self.driver.execute_script(AXE.read_text(encoding="utf-8"))
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
            "'best-practice']}}).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, "
            "help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary)})))).catch("
            "e => done([{id: 'axe-error', help: String(e), nodes: []}]));")
        return result


@pytest.fixture
def signed_in(account_page):
    """The browser signed in with an instructor's account (role instruction: the journal), on the journal."""
    account_page.sign_in("instructeur", then="/decisions")
    assert account_page.path == "/decisions"
    return account_page
