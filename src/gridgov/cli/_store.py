"""What the commands that read or write a store share: opening it, choosing the stream.

The store is the global ``--store URL`` option (given before the command), else
``$GRIDGOV_STORE``, else ``sqlite:///gridgov.db`` in the current folder. A store that
cannot be opened (a bad URL, a server that does not answer, a missing extra) is a
:class:`~gridgov.errors.GridGovError`: one line on stderr, exit status 2.
"""

from __future__ import annotations

import argparse

from gridgov.adapters.storage import EventStore
from gridgov.errors import StoreError
from gridgov.model.jurisdiction import Jurisdiction
from gridgov.plugins import event_store
from gridgov.service import default_store_url

__all__ = ["add_stream_option", "open_store", "root_of", "store_url", "stream_of"]


def store_url(args: argparse.Namespace) -> str:
    """The store URL of the command line: ``--store``, ``$GRIDGOV_STORE``, or the default."""
    given: str | None = getattr(args, "store", None)
    return given or default_store_url()


def open_store(args: argparse.Namespace) -> EventStore:
    """Open the store of the command line."""
    return event_store(store_url(args))


def add_stream_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--stream ID`` (the jurisdiction's id) to a command."""
    parser.add_argument(
        "--stream",
        metavar="ID",
        help="the jurisdiction's stream (its root organization's id); default: the "
        "store's only stream",
    )


def stream_of(store: EventStore, given: str | None) -> str:
    """The stream to read: `given`, else the store's only one.

    Raises
    ------
    StoreError
        If `given` is not in the store, or none is given and the store holds no stream
        or several.
    """
    streams = store.streams()
    if given is not None:
        if given not in streams:
            raise StoreError(store.url, f"holds no stream {given!r}")
        return given
    if not streams:
        raise StoreError(store.url, "holds no jurisdiction; import one with gridgov import FILE")
    if len(streams) > 1:
        names = ", ".join(list(streams)[:10]) + (", ..." if len(streams) > 10 else "")
        raise StoreError(
            store.url, f"holds {len(streams)} jurisdictions ({names}); choose one with --stream"
        )
    return next(iter(streams))


def root_of(j: Jurisdiction) -> str | None:
    """The id of the jurisdiction's only root organization, if it has exactly one."""
    roots = [org.id for org in j.organizations.values() if org.parent is None]
    return roots[0] if len(roots) == 1 else None
