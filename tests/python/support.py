# SPDX-License-Identifier: Apache-2.0
"""Shared by the Python tests: paths, and the symtri package from the source tree."""

import os
import sys
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("SYMTRI_SOURCE_DIR", Path(__file__).resolve().parents[2]))
DATA = SOURCE_DIR / "tests" / "capi" / "data"
RULES = DATA / "rules"
SMALL = DATA / "small.json"
SMALL_V2 = DATA / "small_v2.json"
VIGNETTES = SOURCE_DIR / "tests" / "vignettes" / "public.jsonl"
CLI = os.environ.get("SYMTRI_CLI", "")

sys.path.insert(0, str(SOURCE_DIR / "python"))
