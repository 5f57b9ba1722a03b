"""What rendering needs from the system: Graphviz's `dot`, a Simplified-Chinese font and,
for booklets, librsvg's `rsvg-convert`.
Without the font `dot` still exits 0 and draws boxes instead of characters, so the font is
checked here, before any chart is drawn."""

from __future__ import annotations

import shutil
import subprocess

from .dot import FONT


class MissingComponent(RuntimeError):
    def __init__(self, message: str, install: str):
        super().__init__(message)
        self.message = message
        self.install = install


def require_renderer(booklet: bool = True) -> None:
    """Raises MissingComponent naming what to install. Booklets also need `rsvg-convert`
    (librsvg2-bin), which sets all their pages in one pass."""
    if shutil.which("dot") is None:
        raise MissingComponent("找不到 Graphviz 的 dot 程序，无法绘制流程图", "sudo apt-get install graphviz")
    if shutil.which("fc-list") is None:
        raise MissingComponent("找不到 fontconfig（fc-list），无法确认中文字体", "sudo apt-get install fontconfig fonts-noto-cjk")
    try:
        families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        families = ""
    if FONT not in families:
        raise MissingComponent(f"没有安装中文字体“{FONT}”，流程图中的汉字会显示为方框", "sudo apt-get install fonts-noto-cjk")
    if booklet and shutil.which("rsvg-convert") is None:
        raise MissingComponent("找不到 rsvg-convert 程序，无法汇编流程图 PDF", "sudo apt-get install librsvg2-bin")
