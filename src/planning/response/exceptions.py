"""Errors raised by the response model."""

from __future__ import annotations

__all__ = ["ConvergenceError"]


class ConvergenceError(RuntimeError):
    """An iterative solver did not meet its tolerance within its iteration limit.

    The message gives the limit, the last change and the tolerance, so the
    caller can raise ``max_iterations`` or loosen ``tol``.
    """
