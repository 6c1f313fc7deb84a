"""What a desktop must give the window before Qt starts: a display, and on Linux the libraries Qt's
xcb platform plugin loads.

Qt's own message when ``libxcb-cursor0`` is missing ("xcb-cursor0 or libxcb-cursor0 is needed to load
the Qt xcb platform plugin") comes with an abort and a core dump; a desktop launcher shows neither. This
module checks first, and says which package to install. No Qt import here: it runs before the
QApplication exists.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Mapping

#: The libraries Qt's xcb plugin needs that a minimal Debian/Ubuntu desktop may lack, with the package
#: that provides each (Debian/Ubuntu name; Fedora in the message).
XCB_LIBRARIES = (
    ("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
)


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


def desktop_problem(env: Mapping[str, str], platform: str = sys.platform,
                    loads: Callable[[str], bool] = _loads) -> str | None:
    """What keeps the window from opening on this desktop, worded for the user, or None."""
    named = env.get("QT_QPA_PLATFORM", "").strip()
    if platform.startswith("linux") and not named and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return ("caseline: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                "Run it from a desktop session; without one, 'caseline export FILE -o fig.png' writes a figure "
                "and 'caseline --screenshot OUT.png FILE' a picture of the window.")
    if not will_use_xcb(env, platform):
        return None
    missing = [(deb, fedora) for name, deb, fedora in XCB_LIBRARIES if not loads(name)]
    if not missing:
        return None
    debs = " ".join(deb for deb, _ in missing)
    fedoras = " ".join(fedora for _, fedora in missing)
    return (f"caseline: Qt's X11 (xcb) platform plugin needs {debs}, which is not installed.\n"
            f"Install it with:  sudo apt-get install {debs}    (Fedora: sudo dnf install {fedoras})\n"
            "then start caseline again.")
