"""A jurisdiction as text that rebuilds it: Python that runs, or its JSON document.

A failing example under Hypothesis prints through :func:`source` (the strategies
module registers it with Hypothesis's pretty printer), so it can be pasted back.

Examples
--------
>>> from gridgov.rules.breaking import minimal_jurisdiction
>>> j = minimal_jurisdiction()
>>> namespace = {}
>>> exec(source(j), namespace)
>>> namespace["j"] == j
True
"""

from __future__ import annotations

import json
from typing import Literal

from gridgov.errors import InvalidValueError
from gridgov.io import dump
from gridgov.model import Jurisdiction

__all__ = ["reproduce", "source"]


def source(j: Jurisdiction, format: Literal["python", "json"] = "python") -> str:
    """Return text that rebuilds `j`: Python (``format="python"``) or its JSON document.

    The Python form loads the document (``j = gridgov.load({...})``); its state is
    equal to `j` (the log is not kept: the document holds the state, not the history).

    Parameters
    ----------
    j : Jurisdiction
    format : {"python", "json"}

    Examples
    --------
    >>> from gridgov import Jurisdiction
    >>> print(source(Jurisdiction(), "json"))
    {
      "gridgov": "1",
      "scheme": "five-level",
      "organizations": [],
      "people": [],
      "cooperatives": [],
      "registrations": [],
      "filings": [],
      "claims": [],
      "posts": []
    }
    """
    if not isinstance(j, Jurisdiction):
        raise InvalidValueError("j", j, "must be a Jurisdiction")
    if format not in ("python", "json"):
        raise InvalidValueError("format", format, "must be 'python' or 'json'")
    document = dump(j)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if format == "json":
        return text
    literal = repr(json.loads(text))
    return f"import gridgov\n\nj = gridgov.load({literal})\n"


def reproduce(j: Jurisdiction) -> None:
    """Print :func:`source` of `j`: paste it into a test to rebuild the jurisdiction.

    Examples
    --------
    >>> from gridgov import Jurisdiction
    >>> reproduce(Jurisdiction())
    import gridgov
    <BLANKLINE>
    j = gridgov.load({'gridgov': '1', 'scheme': 'five-level', 'organizations': [], 'people': [], 'cooperatives': [], 'registrations': [], 'filings': [], 'claims': [], 'posts': []})
    <BLANKLINE>
    """
    print(source(j))
