"""The packaged data files (``sifund/data/**.yaml``), read with libyaml when it is installed.

Why: ``yaml.safe_load`` is PyYAML's pure-Python parser; the dozen data files every command
reads (codes, limits, wording, scoring …) took ≈ 0.15 s of ``sifund report``'s start-up with it
and ≈ 0.02 s with libyaml's ``CSafeLoader``, which builds the same data (same resolver and
constructor, only the scanner and parser are C). Untrusted input (datasets, ``--config``) is
read by :mod:`sifund.core.structured`, which bounds its work; these files ship with sifund.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml's parser when it is available."""
    return yaml.load(text, Loader=SafeLoader)  # a safe loader, C or Python


def data_yaml(*parts: str) -> Any:
    """A packaged data file: ``data_yaml("render", "report.yaml")`` is sifund/data/render/report.yaml."""
    return load_yaml(resources.files("sifund.data").joinpath(*parts).read_text("utf-8"))
