"""The browser check: start the app on the demo workspace, open every page in headless Chromium
in French and in English, save a screenshot of each under screenshots/, and fail on any Streamlit
exception box. Run by `make test` when /usr/bin/chromium exists (`pytest -m browser`)."""
from __future__ import annotations

import ast
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


def page_urls() -> list[str]:
    tree = ast.parse((ROOT / "app.py").read_text())
    urls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            kws = {kw.arg: kw.value.value for kw in node.keywords if isinstance(kw.value, ast.Constant)}
            urls.append("" if kws.get("default") else kws["url_path"])
    return urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, demo_template):
    import shutil

    db = tmp_path_factory.mktemp("browser") / "demo.db"
    shutil.copy(demo_template, db)
    from research.nlp.pipeline import analyze_workspace
    from research.store import open_database

    workspace = open_database(db)
    analyze_workspace(workspace)  # the real engine, so the synthesis pages show what `make run` shows
    workspace.close()
    port = free_port()
    env = dict(os.environ, ECOUTE_DB=str(db))
    # the server's log goes to a file: an unread pipe fills up (64 KiB) and freezes the server mid-run
    log_path = db.with_name("streamlit.log")
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        log.close()
        pytest.fail("the app did not answer on /_stcore/health within 90 s:\n"
                    + log_path.read_text(errors="replace")[-4000:])
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def sign_in(page, username: str, password: str) -> None:
    """Fill and submit the sign-in form, as a person would."""
    page.wait_for_selector('[data-testid="stForm"] input[type="password"]', timeout=60_000)
    page.locator('[data-testid="stForm"] input[type="text"]').first.fill(username)
    page.locator('[data-testid="stForm"] input[type="password"]').first.fill(password)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("url_path", page_urls())
def test_page_renders_in_chromium(app_url, browser, url_path, lang):
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{app_url}/{url_path}?lang={lang}", wait_until="networkidle", timeout=60_000)
        sign_in(page, "admin", "ecoute-admin-demo")  # the real form; then the app opens the page asked for
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        if url_path:
            page.wait_for_url(f"**/{url_path}*", timeout=30_000)
        # wait for the script run to finish (the "running" indicator disappears)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        # charts and metrics draw after the run ends: wait until no placeholder skeleton is left
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30_000)
        time.sleep(1.0)
        page.screenshot(path=str(SHOTS / f"{url_path or 'home'}-{lang}.png"), full_page=True)
        assert "Page not found" not in page.content(), f"/{url_path} is not a registered page"
        exceptions = page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, exceptions.first.inner_text()
        if url_path not in WIDE_ON_PURPOSE:  # no column of a table past the page's edge, out of sight
            widths = page.evaluate(GRID_WIDTHS)
            assert all(inner <= frame + 2 for inner, frame in widths), widths
    finally:
        page.close()


# the data grids shown on a page: each one's full width and the width of its frame
GRID_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .filter(grid => grid.offsetParent !== null)
    .map(grid => grid.querySelector('.dvn-scroller'))
    .filter(Boolean).map(s => [s.scrollWidth, s.clientWidth])"""
WIDE_ON_PURPOSE = {"portrait"}  # its entry grid: a column per portrait category, scrolled like a spreadsheet


def test_the_home_page_has_an_address_of_its_own(app_url, browser):
    """The default page answers at "/" and at "/home" (a bookmark, a link in an e-mail): signed out,
    "/home" asked Streamlit for a page the sign-in navigation did not hold, and it said "Page not found"."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        # a first visit, as the server has had before any bookmark is opened: the very first session
        # of a fresh server does not check the address against a list of pages
        page.goto(f"{app_url}/?lang=en", wait_until="networkidle", timeout=60_000)
        page.wait_for_selector('[data-testid="stForm"] input[type="password"]', timeout=60_000)
        page.goto(f"{app_url}/home?lang=en", wait_until="networkidle", timeout=60_000)
        page.wait_for_selector('[data-testid="stForm"] input[type="password"]', timeout=60_000)
        time.sleep(4.0)  # Streamlit's "Page not found" dialog opens once the page list has arrived
        assert page.locator('[role="dialog"]').count() == 0, page.locator('[role="dialog"]').first.inner_text()
        sign_in(page, "admin", "ecoute-admin-demo")
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        assert "Page not found" not in page.content()
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() not in ("", "Sign in")
    finally:
        page.close()


def test_clicking_the_language_already_chosen_keeps_it(app_url, browser):
    """A segmented control clears itself when its selected option is clicked again; the switch must
    keep the language shown instead of failing."""
    def settled():
        time.sleep(1.5)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        return page.locator('[data-testid="stMain"] h1').first.inner_text()

    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{app_url}/?lang=en", wait_until="networkidle", timeout=60_000)
        sign_in(page, "admin", "ecoute-admin-demo")
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        english = settled()
        for _ in range(2):
            page.locator('[data-testid="stSidebar"] button', has_text="EN").first.click()
            assert settled() == english
        exceptions = page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, exceptions.first.inner_text()
        page.locator('[data-testid="stSidebar"] button', has_text="FR").first.click()
        assert settled() != english
    finally:
        page.close()


def open_tab(browser, app_url: str, url_path: str, lang: str, tab_key: str):
    """A page opened by the demo researcher, on one of its tabs (named by its translation key)."""
    from ui.i18n import t

    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(f"{app_url}/{url_path}?lang={lang}", wait_until="networkidle", timeout=60_000)
    sign_in(page, "chercheuse", "ecoute-etudes-demo")
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.get_by_role("tab", name=t(tab_key, lang=lang)).click()
    return page


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_touchpoint_heatmap_gives_every_cell_its_height(app_url, browser, lang):
    """The page fits a chart inside the height it is given, legend and slanted step names included: a
    total height left the demo's cells 0 px tall behind a legend and its step names."""
    page = open_tab(browser, app_url, "journeys", lang, "journeys.tab.matrix")
    try:
        cells = page.locator('[data-testid="stTabPanel"]:visible [data-testid="stVegaLiteChart"] svg g.mark-rect.role-mark path')
        cells.first.wait_for(timeout=30_000)
        heights = [box["height"] for box in (cells.nth(i).bounding_box() for i in range(cells.count())) if box]
        assert len(heights) >= 7 * 10  # the demo journey: 10 steps × 7 channels, and the coloured cells on top
        assert min(heights) >= 20, sorted(heights)[:5]
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_file_uploader_speaks_the_page_s_language(app_url, browser, lang):
    """Streamlit writes "Upload" and "200MB per file" on every page; a French page shows its own words
    in their place, with the file types of that uploader."""
    page = open_tab(browser, app_url, "image_library", lang, "images.tab.import")
    try:
        box = page.locator('[data-testid="stTabPanel"]:visible [data-testid="stFileUploaderDropzone"]').first
        box.wait_for(timeout=30_000)
        shown = box.evaluate("""b => {
            const seen = e => getComputedStyle(e).fontSize === '0px'
                ? getComputedStyle(e, '::after').content.replace(/^"|"$/g, '') : e.textContent;
            return [seen(b.querySelector('button [data-testid="stMarkdownContainer"] p')),
                    seen(b.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span'))];
        }""")
        assert shown == {"fr": ["Parcourir", "200 Mo par fichier • JPG, PNG, WEBP"],
                         "en": ["Upload", "200MB per file • JPG, PNG, WEBP"]}[lang]
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_save_keeps_the_tab_it_was_made_on(app_url, browser, lang):
    """Creating a code shows a message above the tabs; without a key of their own, that made them new
    tabs in the browser and the first one opened again, away from the form just used."""
    from ui.i18n import t

    page = open_tab(browser, app_url, "synthesis_codes", lang, "codes.tab.book")
    try:
        page.locator(".st-key-codes_create_name input").fill(f"Délais annoncés ({lang})")
        page.get_by_role("button", name=t("codes.create", lang=lang)).click()
        page.locator('[data-testid="stAlert"]').filter(has_text=f"Délais annoncés ({lang})").wait_for(timeout=30_000)
        page.wait_for_timeout(1_000)  # the rest of the run reaches the browser
        assert page.locator('[role="tab"][aria-selected="true"]').inner_text() == t("codes.tab.book", lang=lang)
    finally:
        page.close()
