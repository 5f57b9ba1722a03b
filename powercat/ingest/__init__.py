"""Bytes → records: agency workbooks (.xlsx .xls .csv) read into the model."""

from .loader import SUFFIXES, discover, load, load_file

__all__ = ["SUFFIXES", "discover", "load", "load_file"]
