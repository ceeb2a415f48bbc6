"""Ship the repository's top-level data in the wheel (everything else is in pyproject.toml).

``models/ner-id``, ``models/stanza-id``, ``models/events-learned`` and ``sources.yaml`` live at the top of the checkout
(the layout of docs/architecture.md); a wheel has no top level, so ``build_py`` copies them
into the built package as ``pipeline/bundled/``.  ``pipeline.settings.bundled_path`` looks
there first, then in the checkout.  Editable installs copy nothing: they read the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# checkout path -> path under pipeline/bundled/ (the same relative path)
BUNDLED = ("models/ner-id", "models/stanza-id", "models/events-learned", "sources.yaml")


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "pipeline" / "bundled"
        for rel in BUNDLED:
            src, dest = ROOT / rel, target / rel
            if not src.exists():
                raise FileNotFoundError(f"{src} is missing: the wheel would ship without it")
            dest.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, dest)


setup(cmdclass={"build_py": BuildWithBundledData})
