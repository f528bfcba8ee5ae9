"""The suite runs in parallel (pytest-xdist, docs/operations.md "Tests"): workers share no
files, and the list of slow tests left out of ``make test-fast`` names tests that exist."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from tests.conftest import SLOW

ROOT = Path(__file__).resolve().parents[1]


def test_each_worker_keeps_its_attachments_in_a_media_root_of_its_own():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert Path(settings.MEDIA_ROOT).name == f"readmit-test-media-{worker}"


def test_every_entry_of_the_slow_list_names_a_test_file_or_folder_that_exists():
    for entry in SLOW:
        path, _, name = entry.partition("::")
        assert (ROOT / path).exists(), entry
        if name:
            assert f"def {name}" in (ROOT / path).read_text(encoding="utf-8"), entry
