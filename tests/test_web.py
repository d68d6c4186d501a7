"""The review workspace's routes, in process (Flask's test client) on a temporary project copy."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import polib
from markupsafe import escape
import pytest
from l10n_helpers import DOC, catalog, edit_entry, medloc, prefixed, translate_all

from pipeline.approvals import ledger_path, read_ledger
from pipeline.config import load_config
from pipeline.project import Project
from pipeline.segment import unit_id
from pipeline.web import create_app
from pipeline.web.app import access_token, is_loopback

SECOND = "Vertebroplasty is often an outpatient procedure used to treat painful compression fractures in the spine."


@pytest.fixture
def client(project_copy):
    return create_app(project_copy).test_client()


def hidden(page: str, name: str) -> str:
    """The value of the first hidden field NAME in PAGE."""
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def open_document(client, locale: str = "es") -> str:
    response = client.get(f"/doc/{DOC}/{locale}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def save(client, page: str, msgid: str, text: str, action: str = "save", locale: str = "es", **override):
    form = {"csrf": hidden(page, "csrf"), "catalog": hidden(page, "catalog"), "msgstr": text, "action": action}
    form.update(override)
    return client.post(f"/doc/{DOC}/{locale}/unit/{unit_id(msgid)}", data=form)


def approve_form(client, page: str, reviewer: str = "A. Ruiz", locale: str = "es", **fields):
    form = {"csrf": hidden(page, "csrf"), "catalog": hidden(page, "catalog"), "source": hidden(page, "source"),
            "reviewer": reviewer, **fields}
    return client.post(f"/doc/{DOC}/{locale}/approve", data=form)


def po_path(root: Path, locale: str = "es") -> Path:
    return root / "locales" / locale / f"{DOC}.po"


def change_english(root: Path, old: str, new: str) -> None:
    source = root / "source" / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def entry_lines(text: str, msgid: str) -> tuple[int, int]:
    """The line span of MSGID's entry block in a PO text (between blank lines)."""
    po = polib.pofile(text)
    start = po.find(msgid).linenum - 1
    lines = text.split("\n")
    end = start
    while start > 0 and lines[start - 1].strip():
        start -= 1
    while lines[end].strip():
        end += 1
    return start, end


# ---------------------------------------------------------------- dashboard


def test_dashboard_lists_every_document_and_locale_with_its_state(client, project_copy):
    page = client.get("/").get_data(as_text=True)
    config = load_config(project_copy)
    for locale in config.locales:
        entries = [e for e in catalog(project_copy, locale) if not e.obsolete]
        row = re.search(rf'<tr data-locale="{locale}">(.*?)</tr>', page, re.S).group(1)
        drafts = sum(1 for e in entries if e.msgstr and "fuzzy" in e.flags and "medloc-draft:" in e.tcomment)
        empty = sum(1 for e in entries if not e.msgstr)
        if drafts:
            assert "machine drafts" in row and f"<td>{drafts}</td>" in row
        if empty == len(entries):
            assert ">untranslated<" in row
        assert f"<td>{len(entries)}</td>" in row  # units
        assert f'href="/doc/{DOC}/{locale}"' in row
    assert "Flesch-Kincaid grade" in page and "target &lt;= 8" in page  # English readability with its target


def test_dashboard_shows_approved_then_published_then_stale(client, project_copy):
    translate_all(project_copy, "es", prefixed("ES "))
    approve_form(client, open_document(client), scope="all")
    row = lambda: re.search(r'<tr data-locale="es">(.*?)</tr>', client.get("/").get_data(as_text=True), re.S).group(1)
    assert ">approved<" in row() and "ready for `medloc publish`" in html.unescape(row())
    assert medloc(project_copy, "publish", "-l", "es") == 0
    assert ">published<" in row()
    change_english(project_copy, "all or part of", "part or all of")
    assert ">stale<" in row()


# ---------------------------------------------------------------- document view


def test_document_view_shows_english_translation_markers_findings_and_readability(client, project_copy):
    page = open_document(client)
    for entry in catalog(project_copy, "es"):
        if entry.obsolete:
            continue
        assert f'id="u-{unit_id(entry.msgid)}"' in page
        assert escape(entry.msgid) in page
        assert escape(entry.msgstr) in page
    assert "Machine draft (unreviewed): apertium" in page  # the marker of the bundled drafts
    assert "QA warning" in page and "Cannot approve: unreviewed machine draft" in page
    assert "Fernández-Huerta" in page and "target &gt;= 60" in page  # Spanish formula with the default target
    assert "Long sentence (" in page  # the source has sentences over 20 words


def test_arabic_is_right_to_left_and_chinese_is_tagged(client, project_copy):
    arabic = open_document(client, "ar")
    assert 'lang="ar" dir="rtl"' in arabic
    chinese = open_document(client, "zh_Hans")
    assert 'lang="zh-Hans" dir="ltr"' in chinese


def test_word_diff_since_the_last_approval(client, project_copy):
    translate_all(project_copy, "es", prefixed("ES "))
    approve_form(client, open_document(client), scope="all")
    edit_entry(project_copy, "es", "Risks", lambda e: setattr(e, "msgstr", "Riesgos"))
    page = open_document(client)
    row = page[page.index(f'id="u-{unit_id("Risks")}"'):]
    row = row[: row.index("</tr>")]
    assert "Translation since the last approval" in row
    assert "<del>ES Risks</del><ins>Riesgos</ins>" in row


def test_all_text_is_escaped(client, project_copy):
    edit_entry(project_copy, "es", "Risks", lambda e: setattr(e, "msgstr", '<script>alert("x")</script>'))
    page = open_document(client)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(" in page


# ---------------------------------------------------------------- editing


def test_editing_a_unit_changes_only_its_entry_and_clears_fuzzy(client, project_copy):
    before = po_path(project_copy).read_text(encoding="utf-8")
    start, end = entry_lines(before, SECOND)
    response = save(client, open_document(client), SECOND, "La vertebroplastia suele ser un procedimiento ambulatorio.")
    assert response.status_code == 303 and response.location.endswith(f"#u-{unit_id(SECOND)}")
    after = po_path(project_copy).read_text(encoding="utf-8")
    old, new = before.split("\n"), after.split("\n")
    growth = len(new) - len(old)
    assert old[:start] == new[:start] and old[end:] == new[end + growth:]  # every other line as it was
    entry = polib.pofile(after).find(SECOND)
    assert entry.msgstr == "La vertebroplastia suele ser un procedimiento ambulatorio."
    assert "fuzzy" not in entry.flags
    assert "medloc-draft:" in entry.tcomment  # still known as an edited draft
    assert "Saved unit" in client.get(f"/doc/{DOC}/es").get_data(as_text=True)


def test_accepting_a_draft_unchanged_clears_fuzzy_and_counts_as_accepted(client, project_copy):
    draft = catalog(project_copy, "es").find(SECOND).msgstr
    save(client, open_document(client), SECOND, draft)
    entry = catalog(project_copy, "es").find(SECOND)
    assert entry.msgstr == draft and "fuzzy" not in entry.flags
    assert 'data-state="accepted-draft"' in open_document(client)


def test_needs_work_keeps_the_unit_fuzzy(client, project_copy):
    save(client, open_document(client), SECOND, "Texto a medias", action="needs-work")
    entry = catalog(project_copy, "es").find(SECOND)
    assert entry.msgstr == "Texto a medias" and "fuzzy" in entry.flags


def test_an_entry_wrapped_by_another_editor_keeps_its_bytes(client, project_copy):
    path = po_path(project_copy)
    text = path.read_text(encoding="utf-8")
    # Poedit-style: the second sentence's msgstr on one unwrapped line.
    other = "In a compression fracture, all or part of a spine bone collapses."
    entry = polib.pofile(text).find(other)
    start, end = entry_lines(text, other)
    lines = text.split("\n")
    msgstr_at = next(i for i in range(start, end) if lines[i].startswith("msgstr"))
    unwrapped = f'msgstr "{entry.msgstr}"'
    text = "\n".join(lines[:msgstr_at] + [unwrapped] + lines[end:])
    path.write_text(text, encoding="utf-8")
    assert polib.pofile(text).find(other).msgstr == entry.msgstr
    save(client, open_document(client), SECOND, "Texto nuevo.")
    assert unwrapped in path.read_text(encoding="utf-8").split("\n")


def test_post_without_or_with_a_wrong_csrf_token_is_refused(client, project_copy):
    before = po_path(project_copy).read_bytes()
    page = open_document(client)
    assert save(client, page, SECOND, "X", csrf="").status_code == 400
    assert save(client, page, SECOND, "X", csrf="forged").status_code == 400
    other = create_app(project_copy).test_client()  # a session that never saw the form
    assert save(other, page, SECOND, "X").status_code == 400
    assert approve_form(other, page, scope="all").status_code == 400
    assert po_path(project_copy).read_bytes() == before
    assert not ledger_path(Project(load_config(project_copy)), "es", DOC).exists()


def test_post_from_another_origin_is_refused(client, project_copy):
    page = open_document(client)
    response = save(client, page, SECOND, "X")
    assert response.status_code == 303
    form = {"csrf": hidden(page, "csrf"), "catalog": hidden(page, "catalog"), "msgstr": "Y", "action": "save"}
    response = client.post(f"/doc/{DOC}/es/unit/{unit_id(SECOND)}", data=form, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert catalog(project_copy, "es").find(SECOND).msgstr == "X"


def test_a_concurrent_change_on_disk_is_shown_never_overwritten(client, project_copy):
    page = open_document(client)
    edit_entry(project_copy, "es", SECOND, lambda e: setattr(e, "msgstr", "Guardado en Poedit."))
    on_disk = po_path(project_copy).read_bytes()
    response = save(client, page, SECOND, "Mi texto del navegador.")
    assert response.status_code == 409
    assert po_path(project_copy).read_bytes() == on_disk
    body = response.get_data(as_text=True)
    assert "Not saved" in body and "Guardado en Poedit." in body and "Mi texto del navegador." in body
    # The conflict page carries the new digest: saving again is a deliberate overwrite.
    assert save(client, body, SECOND, "Mi texto del navegador.").status_code == 303
    assert catalog(project_copy, "es").find(SECOND).msgstr == "Mi texto del navegador."


# ---------------------------------------------------------------- approving


def test_approving_drafts_is_refused_with_the_reasons_of_medloc_approve(client, project_copy, capsys):
    response = approve_form(client, open_document(client), scope="all")
    page = response.get_data(as_text=True)
    units = len([e for e in catalog(project_copy, "es") if not e.obsolete])
    assert f"0 approved, 0 already approved, {units} refused" in page
    assert not ledger_path(Project(load_config(project_copy)), "es", DOC).exists()
    # Same reasons as the command line.
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", "--all") == 1
    cli_reasons = {line.split(": ", 1)[1] for line in capsys.readouterr().err.splitlines() if "refused" in line}
    assert cli_reasons and all(f"refused: {escape(reason)}" in page for reason in cli_reasons)


def test_approving_one_unit_and_a_whole_document_writes_the_ledger(client, project_copy, capsys):
    written = translate_all(project_copy, "es", prefixed("ES "))
    edit_entry(project_copy, "es", "Bleeding", lambda e: e.flags.append("fuzzy"))
    page = approve_form(client, open_document(client), reviewer="A.  Ruiz", unit=unit_id("Risks")).get_data(as_text=True)
    assert "1 approved, 0 already approved, 0 refused" in page
    page = approve_form(client, page, scope="all").get_data(as_text=True)
    units = len(written)
    assert f"{units - 2} approved, 1 already approved, 1 refused" in page
    assert "marked fuzzy" in page
    project = Project(load_config(project_copy))
    ledger = read_ledger(ledger_path(project, "es", DOC), "ledger")
    assert {a.reviewer for a in ledger} == {"A. Ruiz"}
    assert {a.msgid: a.msgstr for a in ledger} == {m: s for m, s in written.items() if m != "Bleeding"}
    capsys.readouterr()
    assert medloc(project_copy, "status", "--json", "-l", "es") == 0  # the CLI sees the same ledger
    assert json.loads(capsys.readouterr().out)["documents"][0]["locales"][0]["approved"] == units - 1


def test_approving_needs_a_name(client):
    response = approve_form(client, open_document(client), reviewer="  ", scope="all")
    assert response.status_code == 400 and "Enter your name" in response.get_data(as_text=True)


def test_approving_after_the_catalog_changed_approves_nothing(client, project_copy):
    translate_all(project_copy, "es", prefixed("ES "))
    page = open_document(client)
    edit_entry(project_copy, "es", "Risks", lambda e: setattr(e, "msgstr", "Riesgos cambiados"))
    response = approve_form(client, page, scope="all")
    assert response.status_code == 409 and "nothing was approved" in response.get_data(as_text=True)
    assert not ledger_path(Project(load_config(project_copy)), "es", DOC).exists()


# ---------------------------------------------------------------- preview


def test_preview_has_a_banner_until_every_unit_is_approved(client, project_copy):
    page = client.get(f"/doc/{DOC}/es/preview").get_data(as_text=True)
    assert "Not yet approved" in page
    drafted = catalog(project_copy, "es").find(SECOND).msgstr
    raw = client.get(f"/doc/{DOC}/es/preview.html").get_data(as_text=True)
    assert escape(drafted) in raw and '<html lang="es" dir="ltr">' in raw

    translate_all(project_copy, "es", prefixed("ES "))
    approve_form(client, open_document(client), scope="all")
    page = client.get(f"/doc/{DOC}/es/preview").get_data(as_text=True)
    assert "Not yet approved" not in page and "Every unit is approved" in page
    raw = client.get(f"/doc/{DOC}/es/preview.html").get_data()
    assert medloc(project_copy, "publish") == 0
    assert raw == (project_copy / "reviewed" / "es" / f"{DOC}.html").read_bytes()  # exactly as published


def test_arabic_preview_is_right_to_left(client, project_copy):
    raw = client.get(f"/doc/{DOC}/ar/preview.html").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in raw


# ---------------------------------------------------------------- names, hosts, tokens


@pytest.mark.parametrize("path", [
    "/doc/..%2F..%2Fetc%2Fpasswd/es",
    f"/doc/{DOC}/..%2F..%2Fpyproject.toml",
    f"/doc/{DOC}/fr",
    "/doc/nonexistent/es",
    f"/doc/{DOC}.md/es",
    f"/doc/{DOC}/es/preview.html/../../../etc/passwd",
])
def test_document_and_locale_names_are_validated(client, path):
    assert client.get(path).status_code == 404


def test_unknown_unit_and_traversal_in_unit_ids_are_rejected(client, project_copy):
    before = po_path(project_copy).read_bytes()
    page = open_document(client)
    form = {"csrf": hidden(page, "csrf"), "catalog": hidden(page, "catalog"), "msgstr": "X", "action": "save"}
    for unit in ("0123456789ab", "..%2F..%2Fx", "ZZZ"):
        assert client.post(f"/doc/{DOC}/es/unit/{unit}", data=form).status_code == 404
    assert po_path(project_copy).read_bytes() == before


def test_loopback_server_answers_only_loopback_host_names(client):
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "attacker.example:8000"}).status_code == 400


def test_off_loopback_every_request_needs_the_token(project_copy):
    client = create_app(project_copy, token="s3cret-token", loopback=False).test_client()
    client.environ_base["HTTP_HOST"] = "medloc.lan:8000"  # any name: off loopback the token is the guard
    assert client.get("/").status_code == 401
    assert client.get("/static/medloc.css").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    response = client.get(f"/doc/{DOC}/es?token=s3cret-token")
    assert response.status_code == 303 and response.location.endswith(f"/doc/{DOC}/es")  # token leaves the URL
    assert client.get(f"/doc/{DOC}/es").status_code == 200  # the cookie carries it now
    assert client.get("/").status_code == 200
    stranger = create_app(project_copy, token="s3cret-token", loopback=False).test_client()
    assert stranger.get(f"/doc/{DOC}/es").status_code == 401


def test_a_token_is_generated_exactly_when_listening_beyond_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("example.org")
    assert access_token("127.0.0.1", None) is None
    assert access_token("127.0.0.1", "given") == "given"
    assert access_token("0.0.0.0", "given") == "given"
    generated = access_token("0.0.0.0", None)
    assert generated and len(generated) >= 24 and generated != access_token("0.0.0.0", None)


def test_responses_forbid_scripts_and_framing_by_others(client):
    headers = client.get("/").headers
    assert "script-src 'none'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_serve_is_a_command_with_its_options(project_copy, capsys):
    with pytest.raises(SystemExit):
        medloc(project_copy, "serve", "--help")
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out and "--token" in out


def test_saving_keeps_other_entries_bytes_even_with_long_comment_lines():
    """A long medloc marker must not push the save onto the re-render-everything fallback."""
    import polib

    from pipeline.web.editing import replace_entry

    long_line = "x" * 120  # another editor's unwrapped string, which `render_catalog` would wrap
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "{long_line}"\nmsgstr "{long_line}"\n\n'
        "# medloc-draft: apertium eng-spa 0.8.1 with a deliberately long origin that passes 78 characters; "
        "sha=0123456789ab\n#, fuzzy\nmsgid \"Bleeding\"\nmsgstr \"Sangrando\"\n"
    )
    po = polib.pofile(text)
    entry = po.find("Bleeding")
    entry.msgstr = "Hemorragia"
    entry.flags = []
    saved = replace_entry(text, po, entry)
    assert f'msgid "{long_line}"\nmsgstr "{long_line}"\n' in saved  # untouched, not re-wrapped
    assert 'msgstr "Hemorragia"' in saved and "#, fuzzy" not in saved
    assert polib.pofile(saved).find("Bleeding").tcomment == entry.tcomment
