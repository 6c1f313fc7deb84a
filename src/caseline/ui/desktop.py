"""What a desktop must give the window before Qt starts: a display, and on Linux the libraries Qt's
xcb platform plugin loads.

Qt's own message when ``libxcb-cursor0`` is missing ("xcb-cursor0 or libxcb-cursor0 is needed to load
the Qt xcb platform plugin") comes with an abort and a core dump; a desktop launcher shows neither. This
module checks first, and says which package to install. No Qt import here: it runs before the
QApplication exists.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Mapping

#: The shared libraries Qt's xcb platform plugin (libQt6XcbQpa) loads that a minimal Debian/Ubuntu system may lack, with
#: the Debian/Ubuntu package of each. Qt's own message names only libxcb-cursor0 whichever is missing
#: (seen here: libxcb-icccm4 and libxcb-keysyms1 missing, the message still blamed xcb-cursor0).
XCB_LIBRARIES = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
)
#: The apt-get line README.md gives for a Linux desktop (every package above).
XCB_PACKAGES = " ".join(deb for _, deb in XCB_LIBRARIES)
_MISSING_SONAME = re.compile(r"(lib[\w+.-]+\.so[.\d]*): cannot open shared object file")


def will_use_xcb(env: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will pick its xcb (X11) platform plugin for this environment."""
    if not platform.startswith("linux"):
        return False
    named = env.get("QT_QPA_PLATFORM", "").strip()
    if named:
        return named.split(":")[0].split(";")[0] == "xcb"
    # Qt 6 prefers Wayland when a Wayland session is running, X11 otherwise
    return not env.get("WAYLAND_DISPLAY") and bool(env.get("DISPLAY"))


def _loads(name: str) -> bool:
    """Whether the dynamic loader can load ``name`` (what Qt's plugin loader will try)."""
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def xcb_plugin_path() -> str | None:
    """Where PySide6 keeps Qt's xcb platform plugin (found without importing Qt)."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = os.path.join(folder, "Qt", "plugins", "platforms", "libqxcb.so")
        if os.path.exists(path):
            return path
    return None


def _plugin_problem(path: str | None) -> str | None:
    """The library the xcb plugin cannot find when loaded as Qt will load it (None: it loads)."""
    if path is None:
        return None
    try:
        ctypes.CDLL(path)
    except OSError as exc:
        match = _MISSING_SONAME.search(str(exc))
        return match.group(1) if match else None
    return None


def desktop_problem(env: Mapping[str, str], platform: str = sys.platform,
                    loads: Callable[[str], bool] = _loads,
                    plugin_problem: Callable[[], str | None] | None = None) -> str | None:
    """What keeps the window from opening on this desktop, worded for the user, or None."""
    named = env.get("QT_QPA_PLATFORM", "").strip()
    if platform.startswith("linux") and not named and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("caseline: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                "Run it from a desktop session; without one, 'caseline export FILE -o fig.png' writes a figure "
                "and 'caseline --screenshot OUT.png FILE' a picture of the window.")
    if not will_use_xcb(env, platform):
        return None
    missing = [deb for name, deb in XCB_LIBRARIES if not loads(name)]
    if plugin_problem is None:
        plugin_problem = lambda: _plugin_problem(xcb_plugin_path())  # noqa: E731
    unknown = plugin_problem() if not missing else None
    if not missing and not unknown:
        return None
    what = " ".join(missing) if missing else f"the package that provides {unknown}"
    verb = "are" if len(missing) > 1 else "is"
    install = (f"Install it with:  sudo apt-get install {' '.join(missing)}\n(Fedora: sudo dnf install "
               "xcb-util-cursor xcb-util-wm xcb-util-keysyms xcb-util-image xcb-util-renderutil libxkbcommon-x11)\n"
               if missing else f"Install the package that provides {unknown}.\n")
    return (f"caseline: Qt's X11 (xcb) platform plugin needs {what}, which {verb} not installed.\n"
            f"{install}Then start caseline again. (Everything a Linux desktop needs: sudo apt-get install "
            f"{XCB_PACKAGES})")
