"""Browser tests: the real app under uvicorn on 127.0.0.1, driven in headless Chromium by
Playwright. An analyst signs in, filters the records, opens an article and sees its evidence
highlighted, corrects a claim, finds the audit entry and downloads the CSV export; merges two
records and splits a claim off again, finding both in the record's log; and the XSS payload
corpus, rendered in a real browser, runs nothing.

The browser is Debian's chromium (`.ci/run` installs it); Playwright never downloads one. The
module skips when no chromium is found. Screenshots of every step go to
`$ARMSTRACE_TEST_ARTIFACTS/browser/` (default `test-artifacts/browser/` at the repository root,
ignored by git), with a last one of each test's page at teardown, whether it passed or not.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect, sync_playwright

from armstrace.web import create_app
from tests.web.conftest import PASSWORD, PAYLOADS

CHROMIUM = (os.environ.get("ARMSTRACE_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser")
            or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None))
if CHROMIUM is None:
    pytest.skip("no chromium found (install Debian's chromium, as .ci/run does, or set "
                "$ARMSTRACE_CHROMIUM): browser tests skipped", allow_module_level=True)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("ARMSTRACE_TEST_ARTIFACTS") or REPO / "test-artifacts") / "browser"
TIMEOUT_MS = 10_000
#: as Playwright's defaults, plus what this machine's closed network and root user need
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update"]
#: set before any page script: a flag any alert/confirm/prompt raises, and every CSP violation
WATCH = """
window.__xssRan = false;
window.__cspViolations = [];
for (const name of ["alert", "confirm", "prompt"]) {
  const original = window[name];
  window[name] = function (...args) {
    window.__xssRan = true;
    return original.apply(window, args);
  };
}
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(scope="module")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@contextmanager
def serve(db: Path) -> Iterator[str]:
    """The app over the SQLite file `db`, served by uvicorn in a thread on a free loopback
    port (the socket is bound first, so there is no race for the port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(f"sqlite:///{db}"), log_level="warning",
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)  # polls uvicorn's own flag; the browser steps never sleep
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def base_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a copy of the filled fixture database, shared by the module's tests."""
    db = tmp_path_factory.mktemp("browser") / "web.db"
    shutil.copy(sqlite_template, db)
    with serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=base_url, accept_downloads=True,
                              viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.add_init_script(WATCH)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def dialogs() -> list[str]:
    """The message of every alert, confirm or prompt a page opened (each is dismissed)."""
    return []


@pytest.fixture
def page(context: BrowserContext, artifacts: Path, dialogs: list[str],
         request: pytest.FixtureRequest) -> Iterator[Page]:
    p = context.new_page()

    def on_dialog(d: Dialog) -> None:
        dialogs.append(d.message)
        d.dismiss()

    p.on("dialog", on_dialog)
    yield p
    if not p.is_closed():
        p.screenshot(path=artifacts / f"{request.node.name}-last.png", full_page=True)


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)


def sign_in(page: Page, path: str, name: str = "analyst") -> None:
    """Open `path`, get sent to the sign-in form, sign in and land back on `path`."""
    page.goto(path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("User").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("header .who")).to_contain_text(f"{name} (")


def test_review_journey(page: Page, artifacts: Path, dialogs: list[str]) -> None:
    name = "review-journey"
    # sign in
    sign_in(page, "/records")
    rows = page.locator("#records tbody tr[data-record-id]")
    expect(rows).to_have_count(3)
    shot(page, artifacts, f"{name}-1-records")

    # filter: North Korean ammunition only
    page.get_by_label("Supplier").fill("PRK")
    page.get_by_label("Category").select_option("ammunition")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/records\?.*supplier=PRK.*category=ammunition"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("PRK → RUS")
    expect(rows.first).to_contain_text("ammunition")
    shot(page, artifacts, f"{name}-2-filtered")

    # the record, then the article behind its first claim
    rows.first.locator("a[href^='/records/']").click()
    expect(page).to_have_url(re.compile(r"/records/r-[0-9a-f]+$"))
    record_url = page.url
    page.locator("#claims").get_by_role("link", name="Shells for Moscow").click()
    expect(page).to_have_url(re.compile(r"/document\?id=w-001$"))

    # the highlights wrap exactly the evidence of each claim
    doc = page.request.get("/document.json", params={"id": "w-001"}).json()
    text = doc["document"]["text"]
    marks = page.locator("article#text mark.ev")
    expect(marks.first).to_be_visible()
    assert page.locator("article#text").evaluate("e => e.textContent") == text
    shown = [(m.get_attribute("data-claims") or "", m.evaluate("e => e.textContent"))
             for m in marks.all()]
    assert doc["highlights"], "the fixture article has no evidence to highlight"
    for h in doc["highlights"]:
        evidence = text[h["start"]:h["end"]]
        covering = "".join(t for ids, t in shown if str(h["claim_id"]) in ids.split())
        assert covering == evidence, (h, shown)
    # hovering a claim card brightens its evidence (static/app.js, allowed by the CSP)
    card = page.locator("#claims li[data-claim-id]").first
    claim_id = card.get_attribute("data-claim-id")
    assert claim_id
    card.hover()
    expect(page.locator(f"mark.ev.focus[data-claims~='{claim_id}']").first).to_be_visible()
    shot(page, artifacts, f"{name}-3-article")

    # correct the claim's certainty through the form
    card.get_by_role("link", name=f"#{claim_id}").click()
    expect(page).to_have_url(re.compile(rf"/claims/{claim_id}$"))
    certainty = page.locator("#fields tr[data-field='certainty'] td")
    before = certainty.nth(0).inner_text()
    after = "probable" if before != "probable" else "possible"
    form = page.locator("form.correct")
    form.locator("input[name='certainty']").fill(after)
    form.locator("input[name='note']").fill("browser test: two sources only")
    form.get_by_role("button", name="Save correction").click()
    expect(page.locator("#review-state")).to_have_text("corrected")
    expect(page.locator("#fields tr[data-field='certainty']")).to_have_class("corrected")
    expect(certainty.nth(0)).to_have_text(after)
    expect(certainty.nth(1)).to_have_text(before)  # the extracted value is kept beside it

    # the audit entry, on the claim and on its record
    entry = page.locator(f"ol.audit li[data-claim-id='{claim_id}']")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("analyst correct claim")
    expect(entry.locator("blockquote.note")).to_have_text("browser test: two sources only")
    audit_id = entry.get_attribute("data-audit-id")
    shot(page, artifacts, f"{name}-4-corrected")
    page.goto(record_url)
    expect(page.locator(f"ol.audit li[data-audit-id='{audit_id}']")).to_contain_text(
        "analyst correct claim")
    expect(page.locator(f"#claims tr[data-claim-id='{claim_id}']")).to_contain_text(after)
    shot(page, artifacts, f"{name}-5-record-audit")

    # download the CSV export: the reviewed value is in it
    with page.expect_download() as info:
        page.locator("header nav").get_by_role("link", name="Claims CSV").click()
    download = info.value
    assert download.suggested_filename == "claims-reviewed.csv"
    saved = artifacts / f"{name}-6-{download.suggested_filename}"
    download.save_as(saved)
    with saved.open(newline="", encoding="utf-8") as f:
        by_id = {row["claim_id"]: row for row in csv.DictReader(f)}
    assert by_id[claim_id]["certainty"] == after
    assert by_id[claim_id]["review"] == "corrected"
    assert by_id[claim_id]["doc_id"] == "w-001"
    assert page.evaluate("window.__xssRan") is False
    assert dialogs == []


def test_xss_payloads_do_not_run(page: Page, artifacts: Path, dialogs: list[str]) -> None:
    name = "xss"
    sign_in(page, "/document?id=xss-1")
    claim_id = page.locator("#claims li[data-claim-id]").first.get_attribute("data-claim-id")
    # every payload also goes in as a note, through the form
    page.goto(f"/claims/{claim_id}")
    page.locator("textarea[name='note']").fill("\n".join(PAYLOADS))
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("ol.audit blockquote.note")).to_have_count(1)
    record_id = page.locator("main p a[href^='/records/']").first.inner_text()

    paths = ["/document?id=xss-1", f"/claims/{claim_id}", f"/records/{record_id}",
             "/records?q=alert", "/", "/actors/PRK"]
    for i, path in enumerate(paths, 1):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp and "object-src 'none'" in csp, (path, csp)
        expect(page.locator("main h1")).to_be_visible()
        # give event-handler payloads their chance: hover and focus what is on the page
        page.locator("main h1").hover()
        for _ in range(3):
            page.keyboard.press("Tab")
        injected = page.locator("main script, main img, main svg, main iframe, main object, "
                                "main embed, main details, main math, main base, main meta, "
                                "main [onerror], main [onload], main [onfocus], "
                                "main [onmouseover]")
        expect(injected).to_have_count(0)
        assert page.evaluate("window.__xssRan") is False, path
        assert page.evaluate("window.__cspViolations") == [], path
        slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "dashboard"
        shot(page, artifacts, f"{name}-{i}-{slug}")

    page.goto("/document?id=xss-1")
    expect(page.locator("#title")).to_have_text(re.compile(r"^<script>alert\('title'\)"))
    expect(page.locator("#url")).to_have_js_property("tagName", "SPAN")  # javascript: no link
    assert "<script>alert(1)</script>" in page.locator("article#text").inner_text()
    # and the browser enforces the policy: an inline script added to the page is refused
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__inlineRan = true;";
        document.body.appendChild(s);
    }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__inlineRan") is None
    assert page.evaluate("window.__cspViolations")[0].startswith("script-src")
    assert dialogs == []


@pytest.fixture
def own_server(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """A server over a database of its own: merging changes the records other tests count."""
    shutil.copy(sqlite_template, tmp_path / "web.db")
    with serve(tmp_path / "web.db") as url:
        yield url


def test_merge_and_split_journey(browser: Browser, own_server: str, artifacts: Path) -> None:
    name = "merge-journey"
    ctx = browser.new_context(base_url=own_server, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.add_init_script(WATCH)
    page = ctx.new_page()
    try:
        sign_in(page, "/records")
        rows = page.locator("#records tbody tr[data-record-id]")
        expect(rows).to_have_count(3)
        shells = rows.filter(has_text="ammunition")
        drones = rows.filter(has_text="loitering_munitions")
        ids = {n: r.get_attribute("data-record-id") for n, r in
               (("shells", shells), ("drones", drones))}
        shells.get_by_role("checkbox").check()
        drones.get_by_role("checkbox").check()
        order = [r.get_attribute("data-record-id") for r in rows.all()]
        target, other = sorted(ids.values(), key=lambda rid: order.index(rid))
        form = page.locator("form#merge-form")
        form.get_by_label("Merge note").fill("browser test: one supply line")
        shot(page, artifacts, f"{name}-1-selected")
        form.get_by_role("button", name="Merge selected records").click()

        # the merged record: every claim of both, and the merge in its log
        expect(page).to_have_url(re.compile(rf"/records/{target}$"))
        expect(page.locator("#claims tbody tr[data-claim-id]")).to_have_count(4)
        expect(page.locator("#record dd[data-key='n_claims']")).to_have_text("4")
        entry = page.locator("ol.record-audit li[data-action='merge']")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text("analyst merge")
        expect(entry).to_contain_text(str(other))
        expect(entry.locator("blockquote.note")).to_have_text("browser test: one supply line")
        expect(page.locator("#merged-from")).to_contain_text(str(other))
        shot(page, artifacts, f"{name}-2-merged")

        # the other record's address leads to the merged one; the list has one record less
        page.goto(f"/records/{other}")
        expect(page).to_have_url(re.compile(rf"/records/{target}$"))
        page.goto("/records")
        expect(rows).to_have_count(2)

        # split the first claim off again
        page.goto(f"/records/{target}")
        first = page.locator("#claims tbody tr[data-claim-id]").first
        claim_id = first.get_attribute("data-claim-id")
        first.get_by_role("checkbox").check()
        page.get_by_role("button", name="Split selected claims into a new record").click()
        expect(page).not_to_have_url(re.compile(rf"/records/{target}$"))
        expect(page.locator("#claims tbody tr[data-claim-id]")).to_have_count(1)
        expect(page.locator(f"#claims tr[data-claim-id='{claim_id}']")).to_have_count(1)
        expect(page.locator("ol.record-audit li[data-action='split']")).to_contain_text(
            "analyst split")
        shot(page, artifacts, f"{name}-3-split")
        page.goto(f"/records/{target}")
        expect(page.locator("#claims tbody tr[data-claim-id]")).to_have_count(3)
        expect(page.locator("ol.record-audit li")).to_have_count(2)
        assert page.evaluate("window.__xssRan") is False
        assert page.evaluate("window.__cspViolations") == []
    finally:
        page.screenshot(path=artifacts / f"{name}-last.png", full_page=True)
        ctx.close()


def test_network_and_timeline_from_filtered_records(page: Page, artifacts: Path,
                                                    dialogs: list[str]) -> None:
    name = "views"
    sign_in(page, "/records")
    rows = page.locator("#records tbody tr[data-record-id]")
    expect(rows).to_have_count(3)

    # a facet value adds its filter; its count is the number of rows that remain
    rus = page.locator("#facets section[data-facet='recipient'] li[data-value='RUS']")
    expect(rus).to_have_attribute("data-count", "2")
    rus.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/records\?recipient=RUS$"))
    expect(rows).to_have_count(2)
    expect(page.locator("#facets li.selected[data-value='RUS']")).to_have_count(1)
    shot(page, artifacts, f"{name}-1-records-facet")

    # the network of the same selection: two suppliers of Russia
    page.locator("#to-network").click()
    expect(page).to_have_url(re.compile(r"/network\?recipient=RUS$"))
    svg = page.locator("svg#network-svg")
    expect(svg).to_be_visible()
    expect(svg.locator("a.edge")).to_have_count(2)
    expect(svg.locator("a.node")).to_have_count(3)
    expect(svg.locator("a.node[data-actor='PRK'] text")).to_have_text("PRK")
    shot(page, artifacts, f"{name}-2-network")
    # an edge opens the records of its pair, keeping the selection
    svg.locator("a.edge[data-supplier='PRK']").dispatch_event("click")
    expect(page).to_have_url(re.compile(r"/records\?recipient=RUS&supplier=PRK&kind=transfer$"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("PRK → RUS")

    # the timeline of the same selection, by category then by certainty
    page.go_back()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/records\?recipient=RUS$"))
    page.locator("#to-timeline").click()
    expect(page).to_have_url(re.compile(r"/timeline\?recipient=RUS$"))
    timeline = page.locator("svg#timeline-svg")
    expect(timeline).to_be_visible()
    data = page.request.get("/timeline.json?recipient=RUS").json()
    bars = sum(len(m["counts"]) for m in data["months"])
    assert bars >= 2, data
    expect(timeline.locator("a.bar")).to_have_count(bars)
    shot(page, artifacts, f"{name}-3-timeline-category")
    page.locator("#by-certainty").click()
    expect(page).to_have_url(re.compile(r"/timeline\?recipient=RUS&by=certainty$"))
    expect(page.locator("svg#timeline-svg a.bar[data-series='certain']").first).to_be_visible()
    shot(page, artifacts, f"{name}-4-timeline-certainty")
    assert page.evaluate("window.__cspViolations") == []
    assert page.evaluate("window.__xssRan") is False
    assert dialogs == []
