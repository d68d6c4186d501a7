"""The time medloc stamps on what it writes (catalog headers, approvals).

SOURCE_DATE_EPOCH (the reproducible-builds convention) pins it, so tests and reproducible
builds get the same bytes on every run.
"""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
