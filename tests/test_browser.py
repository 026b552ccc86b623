"""A real browser (Debian's headless Chromium, driven by Selenium) against the deployed
project: Swagger UI's Authorize with `Token <key>`, and the browsable API with a session.
Screenshots go to test-artifacts/screenshots/."""

import contextlib
import os
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from deployment import PASSWORD
from servers import find_binary

SCREENSHOTS = (
    Path(
        os.environ.get(
            "TEST_ARTIFACTS", Path(__file__).parent.parent / "test-artifacts"
        )
    )
    / "screenshots"
)


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium with a fresh profile, and no traffic but to this machine."""
    options = webdriver.ChromeOptions()
    options.binary_location = find_binary("chromium", "chromium")
    for argument in [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--window-size=1280,1400",
        # The deployment's certificate is from a test CA, for localhost.
        "--ignore-certificate-errors", f"--user-data-dir={tmp_path / 'profile'}",
    ]:  # fmt: skip
        options.add_argument(argument)
    # The console's messages, failed loads of scripts and XHRs among them (wait_for).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(find_binary("chromedriver", "chromium-driver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def screenshot(driver, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")


# Generous: the suite's other worker may keep both cores busy meanwhile.
WAIT_SECONDS = 60


class NetworkChanged(Exception):
    """Chromium dropped a request because a network interface came or went (the
    container tests, on the other worker, add and remove them): the page's own, and it
    shows its ERR_NETWORK_CHANGED page, or one of its scripts' or XHRs', and the console
    says so while the page stays unfinished."""


def wait_for(driver, selector, timeout=WAIT_SECONDS):
    """The element, once visible; if it never is, the error shows the page and the
    console's messages instead."""
    visible = ready.visibility_of_element_located((By.CSS_SELECTOR, selector))
    console = []

    def shown(driver):
        console.extend(entry["message"] for entry in driver.get_log("browser"))
        page = driver.find_element(By.TAG_NAME, "body").text
        if any("ERR_NETWORK_CHANGED" in text for text in [page, *console]):
            raise NetworkChanged(driver.current_url)
        return visible(driver)

    # The page may be replaced between finding an element and reading it (a form's
    # answer arriving): look again at the next poll.
    wait = WebDriverWait(
        driver, timeout, ignored_exceptions=[StaleElementReferenceException]
    )
    try:
        return wait.until(shown)
    except TimeoutException:
        screenshot(driver, "timed-out")
        text = driver.find_element(By.TAG_NAME, "body").text[:2000]
        messages = "\n".join(console[-20:])
        raise TimeoutException(
            f"no {selector} within {timeout}s at {driver.current_url}\n{text}\n"
            f"console:\n{messages}"
        ) from None


def log_in(driver, base, path, next_path, name, landing):
    """Log in afresh with the page's form, and wait for `landing` on the page it leads
    to."""
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})  # an earlier attempt's
    driver.get(f"{base}{path}?next={next_path}")
    wait_for(driver, "input[name=username]").send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    return wait_for(driver, landing)


def again_on_network_change(scenario, attempts=3):
    """scenario(), from the start again when Chromium dropped one of its requests
    (NetworkChanged), up to `attempts` times in all."""
    for _ in range(attempts - 1):
        with contextlib.suppress(NetworkChanged):
            return scenario()
    return scenario()


def authorize(driver, value):
    """Swagger UI's Authorize dialog: enter the header value, confirm, close."""
    wait_for(driver, "button.authorize").click()
    dialog = wait_for(driver, ".modal-ux")
    logout = dialog.find_elements(By.XPATH, ".//button[normalize-space()='Logout']")
    if logout:
        logout[0].click()
    # The token scheme's field: the dialog's only one, the schema documents no other.
    [field] = dialog.find_elements(By.CSS_SELECTOR, "input[type=text]")
    field.send_keys(value)
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Authorize']").click()
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Close']").click()


def execute_example(driver):
    """Run GET /api/example/ from Swagger UI; return the status and body shown."""
    operation = wait_for(driver, "#operations-api-example")
    if "is-open" not in operation.get_attribute("class"):
        operation.find_element(By.CSS_SELECTOR, ".opblock-summary").click()
    # Swagger UI renders the opened operation's body after the click: wait for it.
    try_out = wait_for(driver, "#operations-api-example button.try-out__btn")
    if try_out.text.strip() == "Try it out":
        try_out.click()
    # Clear the answer of an earlier run, so that the one read below is new.
    for clear in operation.find_elements(By.CSS_SELECTOR, "button.btn-clear"):
        clear.click()
        WebDriverWait(driver, WAIT_SECONDS).until(
            ready.invisibility_of_element_located(
                (By.CSS_SELECTOR, "#operations-api-example .live-responses-table")
            )
        )
    wait_for(driver, "#operations-api-example button.execute").click()
    table = wait_for(driver, "#operations-api-example .live-responses-table")
    status = table.find_element(
        By.CSS_SELECTOR, "tr.response .response-col_status"
    ).text
    body = table.find_element(
        By.CSS_SELECTOR, "tr.response .response-col_description pre"
    ).text
    return status.strip(), body


def test_swagger_ui_authorize_with_token(browser, deployment):
    """Staff open /api/docs/, authorize with `Token <key>`, and GET /api/example/ gives
    200 with their name; with a wrong key, 401."""
    key = deployment.https.login("dave").json()["token"]
    base = f"https://localhost:{deployment.https.port}"

    def scenario():
        log_in(
            browser, base, "/admin/login/", "/api/docs/", "dave", ".swagger-ui .info"
        )
        screenshot(browser, "docs")
        authorize(browser, f"Token {key}")
        valid = execute_example(browser)
        screenshot(browser, "docs-example-200")
        authorize(browser, "Token 0000000000000000000000000000000000000000")
        wrong = execute_example(browser)
        screenshot(browser, "docs-example-401")
        return valid, wrong

    (status, body), (wrong_status, wrong_body) = again_on_network_change(scenario)
    assert status == "200"
    assert '"username": "dave"' in body
    assert wrong_status == "401"
    assert "Invalid token." in wrong_body


def test_browsable_api_with_a_session(browser, deployment):
    """Logging in to the browsable API shows /api/example/ rendered as a page."""
    base = f"https://localhost:{deployment.https.port}"

    def scenario():
        log_in(
            browser, base, "/api-auth/login/", "/api/example/", "dave", ".response-info"
        )
        screenshot(browser, "browsable-api-example")
        return browser.title, browser.find_element(
            By.CSS_SELECTOR, ".response-info"
        ).text

    title, text = again_on_network_change(scenario)
    assert "Example" in title
    assert '"username": "dave"' in text
