"""The ids of a simulated district, minted through the id hook and kept for life.

A simulated record has a lasting number (a member's ``member_key``, a branch's
``branch_key``, ...); :class:`Names` gives each one its id the first time it is asked
for, from an :class:`~gridgov.model.ids.IdFactory` (by default
:func:`gridgov.plugins.id_factory`: the ``gridgov_make_id`` hook, so a host's id scheme
names the simulation's records too), and returns the same id ever after: a member keeps
their id through churn, and a newcomer gets a new one.

Examples
--------
>>> names = Names()
>>> names.ids("member", "person", [0, 1, 2]), names.id("member", "person", 1)
(['P1', 'P2', 'P3'], 'P2')
>>> names.id("org", "branch", 0, parent="C1")
'B1'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gridgov.errors import InvalidValueError
from gridgov.model.ids import IdFactory, Taken

__all__ = ["Names"]


class Names:
    """Ids by (namespace, key), minted once each.

    Parameters
    ----------
    factory : IdFactory, optional
        Makes each new id (default: the plugins' ``gridgov_make_id`` hook).

    Notes
    -----
    A namespace separates records of one kind numbered independently: the members,
    cadres and cooperative heads of a district are all people (``kind="person"``) but
    each has its own keys.
    """

    __slots__ = ("_minted", "_taken", "factory", "taken")

    def __init__(self, factory: IdFactory | None = None) -> None:
        if factory is None:
            from gridgov import plugins

            factory = plugins.id_factory()
        if not callable(factory):
            raise InvalidValueError(
                "ids", factory, "must be an id factory: ids(kind, parent, taken)"
            )
        self.factory = factory
        self._minted: dict[tuple[str, int], str] = {}
        self._taken: set[str] = set()
        self.taken = Taken(self._taken.__contains__)

    def id(self, namespace: str, kind: str, key: int, parent: str | None = None) -> str:
        """Return the id of the record `key` of `namespace` (minted as a `kind` if new).

        Raises
        ------
        InvalidValueError
            If the factory makes an id already used, or something that is not an id.
        """
        slot = (namespace, key)
        made = self._minted.get(slot)
        if made is None:
            made = self.factory(kind, parent, self.taken)
            if not isinstance(made, str) or not made or made in self._taken:
                raise InvalidValueError(
                    "ids", made, f"the id factory must make a new id (for a {kind!r})"
                )
            self._taken.add(made)
            self._minted[slot] = made
        return made

    def ids(
        self,
        namespace: str,
        kind: str,
        keys: Iterable[int],
        parents: Sequence[str | None] | None = None,
    ) -> list[str]:
        """Return the ids of `keys` (in order), minting the new ones in order."""
        minted, taken, factory = self._minted, self._taken, self.factory
        marker = self.taken
        out: list[str] = []
        for i, key in enumerate(keys):
            slot = (namespace, key)
            made = minted.get(slot)
            if made is None:
                made = factory(kind, None if parents is None else parents[i], marker)
                if not isinstance(made, str) or not made or made in taken:
                    raise InvalidValueError(
                        "ids", made, f"the id factory must make a new id (for a {kind!r})"
                    )
                taken.add(made)
                minted[slot] = made
            out.append(made)
        return out
