"""The one error a Dask audit reports to its user as one line."""

from __future__ import annotations


class ClusterError(RuntimeError):
    """The scheduler cannot be reached or the local workers cannot start: one line for the user."""
