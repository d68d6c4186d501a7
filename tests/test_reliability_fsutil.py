"""File permissions of atomically written files."""

import os

from pipeline.fsutil import write_if_changed


def current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_new_files_get_default_permissions_and_existing_keep_theirs(tmp_path):
    fresh = tmp_path / "page.html"
    write_if_changed(fresh, "a")
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~current_umask()  # as open() would, not mkstemp's 0600
    private = tmp_path / "private.txt"
    private.write_text("x")
    private.chmod(0o600)
    write_if_changed(private, "y")
    assert private.stat().st_mode & 0o777 == 0o600
