"""Argument checks of the allocation functions: the objects they take, and their arrays.

Each public function of :mod:`gridgov.allocation` checks what it is given before it
computes anything, so that a wrong argument is an
:class:`~gridgov.errors.InvalidValueError` naming it, never an ``AttributeError`` or an
``IndexError`` from deep inside numpy.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np

from gridgov.errors import InvalidValueError
from gridgov.limits import MAX_ITEMS, check_int
from gridgov.model.policy import Policy

T = TypeVar("T")


def instance(field: str, value: object, cls: type[T]) -> T:
    """`value` if it is a `cls`; raise naming `field` otherwise."""
    if not isinstance(value, cls):
        raise InvalidValueError(field, value, f"must be a {cls.__name__}")
    return value


def policy(value: object) -> Policy:
    """A policy argument: ``None`` (the defaults) or a :class:`~gridgov.model.Policy`."""
    if value is None:
        return Policy()
    return instance("policy", value, Policy)


def seed(value: object, field: str = "seed") -> int:
    """A random seed: an integer from 0 to 2**63 - 1."""
    return check_int(field, value, 0, 2**63 - 1)


def index(field: str, value: object) -> int:
    """A position in a district's arrays (a street, a branch): 0 to ``MAX_ITEMS``."""
    return check_int(field, value, 0, MAX_ITEMS)


def int_array(field: str, value: object, length: int, low: int, high: int) -> Any:
    """`value` if it is a 1-d integer array of `length` items within `low`..`high`."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iu" or value.ndim != 1:
        raise InvalidValueError(field, value, "must be a 1-d numpy array of integers")
    if len(value) != length:
        raise InvalidValueError(field, value, f"must have {length} items, one per member")
    if length and (int(value.min()) < low or int(value.max()) > high):
        raise InvalidValueError(field, value, f"must hold integers from {low} to {high}")
    return value


def same_length(field: str, array: Any, length: int, what: str) -> None:
    """Refuse a result of another district: its arrays do not fit this one's."""
    if len(array) != length:
        raise InvalidValueError(
            field, f"{len(array)} {what}", f"is not of this district ({length})"
        )
