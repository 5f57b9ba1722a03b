"""Bytes → records: agency workbooks (.xlsx .xls .csv) read into the model."""

from collections.abc import Iterable
from concurrent.futures import Executor

from ..gate import withhold_by_identity
from ..model import Catalogue
from .loader import SUFFIXES, discover, load_file
from .loader import load as _load_files


def load(paths: Iterable[str], executor: Executor | None = None, fields: frozenset[str] | None = None) -> Catalogue:
    """Every file under `paths` read (one bad file never stops the others), then the
    disclosure gate settled across them: a power withheld by any record is withheld in all.
    `fields`: only these value fields are read (see read_items; None: all)."""
    catalogue = _load_files(paths, executor, fields)
    withhold_by_identity(catalogue)
    return catalogue


__all__ = ["SUFFIXES", "discover", "load", "load_file"]
