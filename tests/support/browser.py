"""Headless Chromium from the system's packages (Debian: chromium), driven by Playwright,
and axe-core (vendored in tests/vendor/axe-core, see its README) to check pages.

No browser is ever downloaded: Playwright is pointed at the installed binary."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # 4.14.1
CHROMIUM_PACKAGES = "chromium"
# what a headless Chromium needs as root in a container, and nothing it would fetch
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The installed Chromium: $ZVIT_CHROMIUM, else chromium or chromium-browser on PATH."""
    named = os.environ.get("ZVIT_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def axe_source() -> str:
    """axe.min.js, checked against the hash of the released file (npm's integrity)."""
    data = AXE.read_bytes()
    if hashlib.sha256(data).hexdigest() != AXE_SHA256:
        raise RuntimeError(f"{AXE} is not axe-core 4.14.1 as vendored")
    return data.decode("utf-8")
