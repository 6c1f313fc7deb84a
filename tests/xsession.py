"""A real X server for tests that must see what a user sees: Xvfb with the openbox window manager,
driven with xdotool and read with xwininfo (and ImageMagick's ``import`` for screenshots).

(On pytest's ``pythonpath``: ``from xsession import XSession``.) Also usable from a script to take
screenshots of the window at a given screen size.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass

TOOLS = ("Xvfb", "openbox", "xdotool", "xwininfo")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


@dataclass(frozen=True)
class Window:
    id: int
    name: str
    x: int
    y: int
    width: int
    height: int


class XSession:
    """Xvfb on a free display plus openbox; ``close()`` ends both (and nothing else)."""

    def __init__(self, width: int = 1280, height: int = 720, timeout: float = 15.0) -> None:
        self.width, self.height = width, height
        read_fd, write_fd = os.pipe()
        # -displayfd: Xvfb picks a free display and writes its number once it accepts connections
        self.server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp",
             "-noreset"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        self.wm: subprocess.Popen[bytes] | None = None
        try:
            number = self._read_display(read_fd, timeout)
        finally:
            os.close(read_fd)
        if number is None:
            self.close()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"
        self.wm = subprocess.Popen(["openbox", "--sm-disable"], env=self.env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        self._wait_for_wm(timeout)

    @staticmethod
    def _read_display(fd: int, timeout: float) -> str | None:
        import select

        deadline = time.monotonic() + timeout
        data = b""
        while time.monotonic() < deadline and not data.endswith(b"\n"):
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            chunk = os.read(fd, 64)
            if not chunk:
                break
            data += chunk
        text = data.decode().strip()
        return text or None

    def _wait_for_wm(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.run(["xwininfo", "-root", "-children"], check=False)
            if "Openbox" in out or "openbox" in out:
                return
            time.sleep(0.1)

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a desktop program on this display: no Qt platform forced, no Wayland."""
        env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
        env["DISPLAY"] = getattr(self, "display", "")
        env.update(extra)
        return env

    def run(self, argv: Sequence[str], check: bool = True) -> str:
        result = subprocess.run(list(argv), env=self.env(), capture_output=True, text=True, timeout=30, check=False)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed: {result.stderr.strip()}")
        return result.stdout

    def top_windows(self) -> list[Window]:
        """The mapped children of the root window (window-manager frames, tooltips, menus)."""
        out = self.run(["xwininfo", "-root", "-children"], check=False)
        windows = []
        for match in re.finditer(r'^\s+(0x[0-9a-f]+) (?:"([^"]*)"|\(has no name\)).*?(\d+)x(\d+)\+(-?\d+)\+(-?\d+)',
                                 out, re.MULTILINE):
            wid, name, w, h, x, y = match.groups()
            windows.append(Window(int(wid, 16), name or "", int(x), int(y), int(w), int(h)))
        return windows

    def find_window(self, name_pattern: str) -> Window | None:
        """The first mapped application window whose title matches ``name_pattern`` (client geometry)."""
        out = self.run(["xdotool", "search", "--onlyvisible", "--name", name_pattern], check=False)
        for line in out.split():
            wid = int(line)
            # xwininfo, not xdotool getwindowgeometry: under a reparenting window manager xdotool adds the
            # frame's offset to the position once more
            info = self.run(["xwininfo", "-id", str(wid)], check=False)
            values = dict(re.findall(r"^\s*(Absolute upper-left X|Absolute upper-left Y|Width|Height):\s*(-?\d+)",
                                     info, re.MULTILINE))
            if len(values) == 4 and int(values["Width"]) > 50:
                name = self.run(["xdotool", "getwindowname", str(wid)], check=False).strip()
                return Window(wid, name, int(values["Absolute upper-left X"]), int(values["Absolute upper-left Y"]),
                              int(values["Width"]), int(values["Height"]))
        return None

    def move_pointer(self, x: int, y: int) -> None:
        self.run(["xdotool", "mousemove", str(x), str(y)])

    def key(self, window: Window, keys: str) -> None:
        """Type ``keys`` into ``window`` as a user would: focus it, then press (XTEST, not XSendEvent,
        which leaves modifiers behind for the next client)."""
        self.run(["xdotool", "windowactivate", "--sync", str(window.id)], check=False)
        self.run(["xdotool", "key", "--clearmodifiers", keys], check=False)

    def screenshot(self, path: str) -> None:
        self.run(["import", "-window", "root", path])

    def close(self) -> None:
        for process in (self.wm, self.server):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
