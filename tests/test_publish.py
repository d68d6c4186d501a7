"""Publishing end to end in temporary project copies: translate, approve, publish, go stale."""

from __future__ import annotations

import hashlib
import html
import json
import re

import pytest
from l10n_helpers import DOC, edit_entry, medloc, prefixed, translate_all

from pipeline.inline import TAG_RE, tag_numbers
from pipeline.publish import StagedFolder
from pipeline.render import TEXT_WIDTH, display_width
from pipeline.segment import unit_id

EPOCH = "1764131464"  # approvals at 2025-11-26T04:31:04Z
OLD_SENTENCE = "You should not drive, unless your provider says it is OK."
NEW_SENTENCE = "You must not drive, unless your provider says it is OK."


@pytest.fixture
def spanish(project_copy, monkeypatch):
    """A project copy whose Spanish catalog is translated, approved in full and published."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    written = translate_all(project_copy, "es", prefixed("ES "))
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", "--all") == 0
    assert medloc(project_copy, "publish", "-l", "es") == 0
    return project_copy, written


def read(path) -> str:
    return path.read_text(encoding="utf-8")


def manifest(root) -> dict:
    return json.loads(read(root / "reviewed" / "manifest.json"))["documents"][DOC]["locales"]


def snapshot(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "reviewed").rglob("*")) if p.is_file()}


def test_spanish_publication(spanish):
    root, written = spanish
    page = read(root / "reviewed" / "es" / f"{DOC}.html")
    text = read(root / "reviewed" / "es" / f"{DOC}.txt")
    source = (root / "source" / f"{DOC}.md").read_bytes()
    assert b"Review-Date: 2015-07-13" in source
    assert '<html lang="es" dir="ltr">' in page
    for msgid, msgstr in written.items():
        if not tag_numbers(msgstr):
            assert html.escape(msgstr, quote=False) in page
    assert "Fecha de revisión de la versión en inglés: <bdi>13 de julio de 2015</bdi>" in page
    assert "Versión en inglés revisada por: <bdi>C. Benjamin Ma, MD" in page
    assert "Fecha de aprobación de la traducción: <bdi>26 de noviembre de 2025</bdi>" in page
    assert "Traducción revisada por: <bdi>A. Ruiz</bdi>" in page
    assert '<link rel="alternate" hreflang="en" href="../en/vertebroplasty.html">' in page
    english = read(root / "reviewed" / "en" / f"{DOC}.html")
    assert '<link rel="alternate" hreflang="es" href="../es/vertebroplasty.html">' in english
    assert "Traducción revisada por: A. Ruiz" in text
    assert all(display_width(line) <= TEXT_WIDTH for line in text.splitlines())
    entry = manifest(root)["es"]
    assert entry["status"] == "current" and entry["approved"] == "2025-11-26"
    assert entry["english_review_date"] == "2015-07-13"
    assert entry["source_sha256"] == hashlib.sha256(source).hexdigest()
    assert manifest(root)["zh_Hans"]["status"] == "unpublished"
    assert not [p for p in (root / "reviewed").iterdir() if p.name.startswith(".")]  # no staging left


def test_second_publish_changes_no_byte(spanish):
    root, _ = spanish
    assert medloc(root, "check", "-l", "es", "--fail-on-stale") == 0  # nothing stale, no QA errors
    before = snapshot(root)
    assert medloc(root, "publish", "-l", "es") == 0
    assert snapshot(root) == before


def test_unpublished_locales_are_work_in_progress_not_failures(spanish):
    root, _ = spanish
    assert medloc(root, "publish") == 0  # zh_Hans, vi and ar are not approved yet
    assert manifest(root)["es"]["status"] == "current"
    assert {manifest(root)[loc]["status"] for loc in ("zh_Hans", "vi", "ar")} == {"unpublished"}


def test_changed_english_sentence_goes_stale_and_keeps_publication(spanish, capsys):
    root, _ = spanish
    published = {name: data for name, data in snapshot(root).items() if name.startswith("reviewed/es/")}
    source = root / "source" / f"{DOC}.md"
    source.write_text(read(source).replace("You should not drive,", "You must not drive,"), encoding="utf-8")
    assert NEW_SENTENCE.split(",")[0] in read(source)
    assert medloc(root, "extract") == 0 and medloc(root, "update", "-l", "es") == 0
    capsys.readouterr()

    assert medloc(root, "status", "-l", "es", "--json") == 0
    status = json.loads(capsys.readouterr().out)["documents"][0]["locales"][0]
    assert status["published"] == "stale" and status["published_review_date"] == "2015-07-13"
    assert [(u["id"], u["reason"][:15]) for u in status["stale"]] == [(unit_id(NEW_SENTENCE), "English changed")]

    assert medloc(root, "check", "-l", "es", "--fail-on-stale") == 1
    pattern = rf"source/{DOC}\.md:\d+: stale es {unit_id(NEW_SENTENCE)}: English changed since approved on 2025-11-26"
    assert re.search(pattern, capsys.readouterr().err)

    assert medloc(root, "publish", "-l", "es") == 1
    err = capsys.readouterr().err
    assert "stale" in err and unit_id(NEW_SENTENCE) in err
    assert {n: d for n, d in snapshot(root).items() if n.startswith("reviewed/es/")} == published
    entry = manifest(root)["es"]
    assert entry["status"] == "stale" and entry["stale_units"] == [unit_id(NEW_SENTENCE)]
    assert entry["english_review_date"] == "2015-07-13"
    assert entry["source_sha256"] == hashlib.sha256(source.read_bytes().replace(b"must not", b"should not")).hexdigest()

    # The fuzzy unit cannot be approved until a translator revises it; then it can.
    assert medloc(root, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", "--unit", unit_id(NEW_SENTENCE)) == 1

    def revise(entry):
        entry.msgstr = "ES no debe conducir."
        entry.flags.remove("fuzzy")

    edit_entry(root, "es", NEW_SENTENCE, revise)
    assert medloc(root, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", "--unit", unit_id(NEW_SENTENCE)) == 0
    assert medloc(root, "publish", "-l", "es") == 0
    page = read(root / "reviewed" / "es" / f"{DOC}.html")
    assert "ES no debe conducir." in page and "ES " + OLD_SENTENCE not in page
    assert manifest(root)["es"]["status"] == "current"


def test_unapproved_unit_blocks_publishing(project_copy, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    written = translate_all(project_copy, "es", prefixed("ES "))
    ids = [unit_id(m) for m in written if m != "Infection"]
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", *sum((["--unit", i] for i in ids), [])) == 0
    assert medloc(project_copy, "publish", "-l", "es") == 0
    assert not (project_copy / "reviewed" / "es").exists()
    entry = manifest(project_copy)["es"]
    assert entry["status"] == "unpublished" and entry["reason"].startswith("1 of ")


def test_review_date_only_change_restamps_without_reapproval(spanish):
    root, _ = spanish
    ledger = root / "reviewed" / "approvals" / "es" / f"{DOC}.jsonl"
    before = ledger.read_bytes()
    source = root / "source" / f"{DOC}.md"
    source.write_text(read(source).replace("Review-Date: 2015-07-13", "Review-Date: 2016-02-01"), encoding="utf-8")
    assert medloc(root, "publish", "-l", "es") == 0
    page = read(root / "reviewed" / "es" / f"{DOC}.html")
    assert "Fecha de revisión de la versión en inglés: <bdi>1 de febrero de 2016</bdi>" in page
    assert "Fecha de aprobación de la traducción: <bdi>26 de noviembre de 2025</bdi>" in page
    entry = manifest(root)["es"]
    assert entry["status"] == "current" and entry["english_review_date"] == "2016-02-01"
    assert ledger.read_bytes() == before


def test_script_in_translation_is_escaped(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    translate_all(project_copy, "es", prefixed("ES ", {"Bleeding": "<script>alert(x)</script> Sangrado"}))
    edit_entry(project_copy, "es", "Bleeding",
               lambda e: setattr(e, "tcomment", "medloc-ignore: html -- testing that publishing escapes it"))
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", "--all") == 0
    assert medloc(project_copy, "publish", "-l", "es") == 0
    page = read(project_copy / "reviewed" / "es" / f"{DOC}.html")
    assert "<script>" not in page and "<li>&lt;script&gt;alert(x)&lt;/script&gt; Sangrado</li>" in page


def test_arabic_is_right_to_left(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    translate_all(project_copy, "ar", prefixed("ترجمة: "))
    assert medloc(project_copy, "approve", "-l", "ar", DOC, "--reviewer", "L. Haddad", "--all") == 0
    assert medloc(project_copy, "publish", "-l", "ar") == 0
    page = read(project_copy / "reviewed" / "ar" / f"{DOC}.html")
    assert '<html lang="ar" dir="rtl">' in page
    assert "تاريخ اعتماد الترجمة" in page


def chinese(msgid: str) -> str:
    """A long Chinese sentence keeping the unit's tags (nested as in English) and numbers."""
    tags = "".join(tag + "术" for tag in tag_numbers(msgid))
    numbers = " ".join(re.findall(r"\d+", TAG_RE.sub("", msgid)))
    return "椎体成形术是一种用于治疗脊柱压缩性骨折引起的疼痛的门诊手术" + tags + numbers + "。"


def test_chinese_text_wraps_by_display_width(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    written = translate_all(project_copy, "zh_Hans", chinese)
    assert medloc(project_copy, "approve", "-l", "zh_Hans", DOC, "--reviewer", "W. Li", "--all") == 0
    assert medloc(project_copy, "publish", "-l", "zh_Hans") == 0
    page = read(project_copy / "reviewed" / "zh_Hans" / f"{DOC}.html")
    assert '<html lang="zh-Hans" dir="ltr">' in page and 'hreflang="zh-Hans"' in page
    text = read(project_copy / "reviewed" / "zh_Hans" / f"{DOC}.txt")
    lines = text.splitlines()
    assert all(display_width(line) <= TEXT_WIDTH for line in lines)
    # The first paragraph is two sentence units joined without a space, wrapped into full lines.
    first = [u for u in written if u.startswith("Vertebroplasty is often")][0]
    second = [u for u in written if u.startswith("In a compression fracture")][0]
    paragraph = lines[3:lines.index("", 3)]  # after the title, its rule and a blank line
    assert "".join(paragraph) == written[first] + written[second]
    assert all(display_width(line) >= TEXT_WIDTH - 2 for line in paragraph[:-1])


def test_staged_folder_swaps_in_whole_links_unchanged_files_and_recovers(tmp_path):
    folder = tmp_path / "es"
    folder.mkdir()
    (folder / "old.html").write_bytes(b"old")
    (folder / "a.html").write_bytes(b"1")
    (folder / "same.html").write_bytes(b"same")
    kept = (folder / "old.html").stat()
    stage = StagedFolder(folder)
    assert [stage.put("a.html", b"2"), stage.put("b.html", b"3"), stage.put("same.html", b"same")] == [True, True, False]
    assert (folder / "a.html").read_bytes() == b"1", "nothing is visible before commit"
    stage.commit()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {"old.html": b"old", "a.html": b"2", "b.html": b"3",
                                                                   "same.html": b"same"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["es"]
    now = (folder / "old.html").stat()
    assert (now.st_ino, now.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns), "an unchanged file is linked, not rewritten"
    # A crash between the two renames leaves only .es.previous; the next run puts it back.
    folder.rename(tmp_path / ".es.previous")
    stage = StagedFolder(folder)
    assert stage.put("a.html", b"2") is False
    stage.commit()
    assert (folder / "old.html").read_bytes() == b"old"
    # A crash while staging leaves .es.staging; it is discarded, never swapped in.
    stage = StagedFolder(folder)
    stage.put("a.html", b"half")
    stage = StagedFolder(folder)
    stage.put("b.html", b"4")
    stage.commit()
    assert (folder / "a.html").read_bytes() == b"2" and (folder / "b.html").read_bytes() == b"4"


# ---------------------------------------------------------------- sharded CI: merge-manifests


def _job(base, tmp_path, name: str, locales: list[str], reviewer: str = "A. Ruiz"):
    """A locale job of a sharded CI: a copy of BASE that translates, approves and publishes LOCALES."""
    import shutil

    root = tmp_path / name
    shutil.copytree(base, root)
    for locale in locales:
        translate_all(root, locale, prefixed(f"{locale.upper()} "))
        assert medloc(root, "approve", "-l", locale, DOC, "--reviewer", reviewer, "--all") == 0
    assert medloc(root, "publish", *[arg for locale in locales for arg in ("-l", locale)]) == 0
    return root / "reviewed" / "manifest.json"


def test_merged_manifests_of_locale_jobs_equal_one_unsharded_publish(project_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert medloc(project_copy, "publish") == 0  # the manifest every job starts from
    base = json.loads(read(project_copy / "reviewed" / "manifest.json"))
    spanish, vietnamese = _job(project_copy, tmp_path, "job-es", ["es"]), _job(project_copy, tmp_path, "job-vi", ["vi"])
    unsharded = json.loads(read(_job(project_copy, tmp_path, "all", ["es", "vi"])))
    assert unsharded != base
    assert medloc(project_copy, "merge-manifests", str(spanish), str(vietnamese)) == 0
    merged = json.loads(read(project_copy / "reviewed" / "manifest.json"))
    assert merged == unsharded
    assert merged["documents"][DOC]["locales"]["es"]["status"] == "current"
    assert merged["documents"][DOC]["locales"]["vi"]["status"] == "current"
    assert merged["documents"][DOC]["locales"]["ar"] == base["documents"][DOC]["locales"]["ar"]


def test_jobs_that_changed_one_entry_differently_are_a_conflict(project_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert medloc(project_copy, "publish") == 0
    before = read(project_copy / "reviewed" / "manifest.json")
    first = _job(project_copy, tmp_path, "job-a", ["es"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400))  # approved a day later elsewhere
    second = _job(project_copy, tmp_path, "job-b", ["es"], reviewer="B. Soto")
    capsys.readouterr()
    assert medloc(project_copy, "merge-manifests", str(first), str(second)) == 2
    error = capsys.readouterr().err
    assert f"both changed {DOC} [es] in different ways" in error and "job-a" in error and "job-b" in error
    assert read(project_copy / "reviewed" / "manifest.json") == before  # nothing written


def test_jobs_that_saw_different_english_are_a_conflict(project_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert medloc(project_copy, "publish") == 0
    first = _job(project_copy, tmp_path, "job-a", ["es"])
    source = project_copy / "source" / f"{DOC}.md"
    original = read(source)
    source.write_text(original.replace("You should not drive,", "You must not drive,"), encoding="utf-8")
    assert medloc(project_copy, "build") == 0
    second = _job(project_copy, tmp_path, "job-b", ["vi"])
    source.write_text(original, encoding="utf-8")
    capsys.readouterr()
    assert medloc(project_copy, "merge-manifests", str(first), str(second)) == 2
    assert "[source_sha256] in different ways" in capsys.readouterr().err


def test_a_shard_manifest_that_is_not_json_names_its_file(project_copy, tmp_path, capsys):
    broken = tmp_path / "manifest.json"
    broken.write_text("{not json", encoding="utf-8")
    assert medloc(project_copy, "merge-manifests", str(broken), str(tmp_path / "missing.json")) == 2
    assert "manifest.json: error: manifest is not valid JSON" in capsys.readouterr().err


def test_publisher_template_replaces_the_page_and_keeps_autoescaping(project_copy):
    """`[tool.medloc.publish] templates` names a folder whose article.html.j2 frames every page;
    a rebuild notices an edit of it; a missing folder is an error naming pyproject.toml."""
    from pipeline.cli import main

    root = project_copy
    (root / "theme").mkdir()
    template = root / "theme" / "article.html.j2"
    template.write_text('<html lang="{{ page.lang }}"><title>{{ title_text }}</title>'
                        '<body class="publisher">{{ body }}<p>{{ "<b>x</b>" }}</p></body></html>\n', encoding="utf-8")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + '\n[tool.medloc.publish]\ntemplates = "theme"\n',
                         encoding="utf-8")
    assert main(["-C", str(root), "build"]) in (0, 1)
    page = (root / "reviewed" / "en" / "vertebroplasty.html").read_text(encoding="utf-8")
    assert page.startswith('<html lang="en"><title>Vertebroplasty</title><body class="publisher">')
    assert "<p>&lt;b&gt;x&lt;/b&gt;</p>" in page and "<h2>Description</h2>" in page
    template.write_text(template.read_text(encoding="utf-8").replace("publisher", "edited"), encoding="utf-8")
    assert main(["-C", str(root), "build"]) in (0, 1)
    assert 'class="edited"' in (root / "reviewed" / "en" / "vertebroplasty.html").read_text(encoding="utf-8")
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('"theme"', '"nowhere"'), encoding="utf-8")
    assert main(["-C", str(root), "publish"]) == 2
