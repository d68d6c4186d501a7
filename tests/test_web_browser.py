"""The review workspace end to end in a real headless Chromium (Debian's `chromium`), driven by Playwright.

Each test starts `medloc serve` on 127.0.0.1 (a free port) in a temporary copy of the project
and clicks through it as a translator and a reviewer would. One screenshot per view is kept
in build/test-artifacts/ for people to look at. Skipped only where /usr/bin/chromium is absent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from l10n_helpers import DOC, catalog, edit_entry, medloc, prefixed, translate_all

from pipeline.segment import unit_id

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "build" / "test-artifacts"
SECOND = "Vertebroplasty is often an outpatient procedure used to treat painful compression fractures in the spine."
COLLAPSES = "In a compression fracture, all or part of a spine bone collapses."

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def server(project_copy):
    """`medloc serve --port 0` in the project copy; yields its URL."""
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(project_copy), "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        for line in process.stdout:
            found = re.search(r"open (http://127\.0\.0\.1:\d+/)", line)
            if found:
                url = found.group(1)
                break
        assert url, "medloc serve printed no URL"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def shot(page, name: str, full: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def state_of(page, locale: str) -> str:
    return page.locator(f'tr[data-locale="{locale}"] .state').inner_text()


def units_in(root: Path, locale: str = "es") -> int:
    return len([e for e in catalog(root, locale) if not e.obsolete])


def test_translate_approve_publish_and_go_stale(page, server, project_copy):
    page.goto(server)
    assert page.locator("h1").inner_text() == "Translations"
    assert state_of(page, "es") == "machine drafts"  # the bundled Apertium drafts
    shot(page, "dashboard")

    page.get_by_role("link", name="Spanish es").click()
    assert "Vertebroplasty" in page.locator("h1").inner_text()
    row = page.locator(f"#u-{unit_id(SECOND)}")
    assert "Machine draft (unreviewed): apertium" in row.inner_text()
    shot(page, "document-es-drafts", full=False)

    # A reviewer tries to approve an unreviewed machine draft: refused, with the reason.
    page.fill("#reviewer", "A. Ruiz")
    row.get_by_role("button", name="Approve").click()
    assert "0 approved, 0 already approved, 1 refused" in page.locator(".outcomes").inner_text()
    assert "refused: unreviewed machine draft" in page.locator(".outcomes").inner_text()

    # A translator edits the draft in place.
    text = "La vertebroplastia suele ser un procedimiento ambulatorio para tratar fracturas por compresión dolorosas."
    page.fill(f"#t-{unit_id(SECOND)}", text)
    page.locator(f"#u-{unit_id(SECOND)}").get_by_role("button", name="Accept / save").click()
    assert f"Saved unit {unit_id(SECOND)}: now translated." in page.locator(".notice").inner_text()
    entry = catalog(project_copy, "es").find(SECOND)
    assert entry.msgstr == text and "fuzzy" not in entry.flags
    assert page.locator(f"#t-{unit_id(SECOND)}").input_value() == text
    shot(page, "document-es-edited", full=False)

    # Test-only translations of every other unit, then approve the whole document.
    translate_all(project_copy, "es", prefixed("ES ", {SECOND: text}))
    page.reload()
    page.fill("#reviewer", "A. Ruiz")
    page.get_by_role("button", name="Approve every unit that can be approved").click()
    assert f"{units_in(project_copy) - 0} approved, 0 already approved, 0 refused" in page.locator(".outcomes h2").inner_text()
    assert (project_copy / "reviewed" / "approvals" / "es" / f"{DOC}.jsonl").exists()
    shot(page, "document-es-approved", full=False)

    page.get_by_role("link", name="medloc workspace").click()
    assert state_of(page, "es") == "approved"
    assert "ready for `medloc publish`" in page.locator('tr[data-locale="es"]').inner_text()
    shot(page, "dashboard-publishable")

    page.goto(f"{server}doc/{DOC}/es/preview")
    assert page.locator(".banner").count() == 0
    assert "Every unit is approved" in page.locator("main").inner_text()
    frame = page.frame_locator("iframe.preview")
    assert text in frame.locator("article").inner_text()
    shot(page, "preview-es-approved")

    assert medloc(project_copy, "publish", "-l", "es") == 0
    page.goto(server)
    assert state_of(page, "es") == "published"

    # The English changes: the published translation goes stale, and the view shows the word diff.
    source = project_copy / "source" / f"{DOC}.md"
    english = source.read_text(encoding="utf-8")
    assert "all or part of" in english
    source.write_text(english.replace("all or part of", "part or all of", 1), encoding="utf-8")
    assert medloc(project_copy, "extract") == 0 and medloc(project_copy, "update", "-l", "es") == 0
    page.reload()
    assert state_of(page, "es") == "stale"
    shot(page, "dashboard-stale")
    page.goto(f"{server}doc/{DOC}/es")
    changed = page.locator(f"#u-{unit_id(COLLAPSES.replace('all or part of', 'part or all of'))}")
    assert "English since the last approval" in changed.inner_text()
    assert changed.locator("ins").count() >= 1 and changed.locator("del").count() >= 1
    changed.scroll_into_view_if_needed()
    shot(page, "document-es-stale", full=False)

    page.goto(f"{server}doc/{DOC}/es/preview")
    assert "Not yet approved" in page.locator(".banner").inner_text()
    shot(page, "preview-es-not-approved")


ARABIC = "رأب الفقرات"
CHINESE = "椎体成形术"
VIETNAMESE = "Tạo hình đốt sống"


def test_arabic_right_to_left_chinese_and_vietnamese(page, server, project_copy):
    title = "Vertebroplasty"
    for locale, text in (("ar", ARABIC), ("zh_Hans", CHINESE), ("vi", VIETNAMESE)):
        edit_entry(project_copy, locale, title, lambda e, text=text: setattr(e, "msgstr", text))

    page.goto(f"{server}doc/{DOC}/ar")
    box = page.locator(f"#t-{unit_id(title)}")
    assert box.input_value() == ARABIC
    assert box.evaluate("el => getComputedStyle(el).direction") == "rtl"
    shot(page, "document-ar", full=False)
    page.goto(f"{server}doc/{DOC}/ar/preview.html")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("h1").inner_text() == ARABIC
    shot(page, "preview-ar", full=False)

    # Chinese and Vietnamese typed in the browser reach the catalog exactly, and come back.
    for locale, typed in (("zh_Hans", "经皮椎体成形术（门诊手术）。"), ("vi", "Tạo hình đốt sống qua da là thủ thuật ngoại trú.")):
        page.goto(f"{server}doc/{DOC}/{locale}")
        box = page.locator(f"#t-{unit_id(SECOND)}")
        box.fill(typed)
        page.locator(f"#u-{unit_id(SECOND)}").get_by_role("button", name="Save", exact=True).click()
        assert catalog(project_copy, locale).find(SECOND).msgstr == typed
        assert page.locator(f"#t-{unit_id(SECOND)}").input_value() == typed
        assert page.locator(f"#t-{unit_id(title)}").get_attribute("lang") == locale.replace("_", "-")
        shot(page, f"document-{locale}", full=False)
        page.goto(f"{server}doc/{DOC}/{locale}/preview.html")
        assert typed in page.locator("article").inner_text()


def test_keyboard_only_edit(page, server, project_copy):
    page.goto(f"{server}doc/{DOC}/es")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.focus(f"#t-{unit_id(SECOND)}")
    page.keyboard.press("Control+A")
    page.keyboard.type("Texto escrito solo con el teclado.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Accept / save"
    page.keyboard.press("Enter")
    page.wait_for_selector(".notice.ok")
    assert catalog(project_copy, "es").find(SECOND).msgstr == "Texto escrito solo con el teclado."
