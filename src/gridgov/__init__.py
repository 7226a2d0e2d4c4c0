"""gridgov: grid-based Party organization governance.

The five-level structure (street committee, community organization, grid branch, grid
group, member responsibility zone) as a pure, event-sourced domain model, its JSON
document format, the charter rules, and calibrated district simulation.

Examples
--------
>>> import gridgov
>>> j = gridgov.Jurisdiction()
>>> street = j.found_org("S1", "street", "Junhe street committee")
>>> j.graph.counts()
{'street': 1, 'community': 0, 'branch': 0, 'group': 0, 'zone': 0}
>>> gridgov.loads(gridgov.dumps(j)) == j
True
"""

from typing import TYPE_CHECKING, Any

from gridgov import plugins
from gridgov._version import __version__
from gridgov.adapters.messaging import MessageBus
from gridgov.adapters.storage import EventStore, Snapshot
from gridgov.config import Settings, load_settings
from gridgov.envelope import Envelope
from gridgov.errors import (
    BusError,
    ConcurrencyError,
    DeliveryWarning,
    DocumentError,
    DuplicateIdError,
    FileError,
    GridGovError,
    GridGovWarning,
    HierarchyError,
    IntegrityError,
    InvalidValueError,
    ListenerWarning,
    MissingDependencyError,
    NotEmptyError,
    PluginError,
    PluginWarning,
    PolicyError,
    Problem,
    StateError,
    StoreError,
    UnknownReferenceError,
    ValidationError,
)
from gridgov.io import dump, dumps, json_schema, load, loads, parse, save
from gridgov.model import (
    BUILTIN_EVENTS,
    EVENT_TYPES,
    FIVE_LEVEL,
    SCHEMES,
    THREE_LEVEL,
    AsOfSet,
    Attachment,
    Category,
    Change,
    Claim,
    Cooperative,
    CooperativeAdded,
    CooperativeAmended,
    Duty,
    Event,
    Filing,
    Household,
    HouseholdAdded,
    HouseholdAmended,
    HouseholdAssigned,
    IdFactory,
    Jurisdiction,
    Level,
    MemberAttached,
    MemberDeregistered,
    MemberDetached,
    MemberFiled,
    MemberRegistered,
    MemberStatus,
    MemberTransferred,
    MemberUnfiled,
    Organization,
    OrganizationAmended,
    OrganizationDissolved,
    OrganizationFounded,
    OrganizationRenamed,
    OrganizationReparented,
    OrgGraph,
    OrgKind,
    PartyHousehold,
    PartyMembership,
    Person,
    PersonAdded,
    PersonAmended,
    PersonRemoved,
    Policy,
    PolicyChanged,
    Post,
    PostAssigned,
    PostVacated,
    Registration,
    RegistrationKind,
    Role,
    Scheme,
    SchemeSet,
    SequentialIds,
    Setting,
    Taken,
    Touch,
    ZoneClaimed,
    ZoneReleased,
    events_between,
)
from gridgov.moves import ChurnOutcome, ChurnStats, Move, churn
from gridgov.plots import plot, plot_branches
from gridgov.plugins import hookimpl, hookspec
from gridgov.rules import (
    Diagnostic,
    Gap,
    Registry,
    Report,
    Rule,
    Severity,
    builtin_registry,
)
from gridgov.service import Outcome, Service
from gridgov.summary import Summary, summarize
from gridgov.tables import Frames, frames
from gridgov.validation import Validator, validate

__all__ = [
    "BUILTIN_EVENTS",
    "EVENT_TYPES",
    "FIVE_LEVEL",
    "SCHEMES",
    "THREE_LEVEL",
    "AsOfSet",
    "Attachment",
    "BusError",
    "Category",
    "Change",
    "ChurnOutcome",
    "ChurnStats",
    "Claim",
    "ConcurrencyError",
    "Cooperative",
    "CooperativeAdded",
    "CooperativeAmended",
    "DeliveryWarning",
    "Diagnostic",
    "DocumentError",
    "DuplicateIdError",
    "Duty",
    "Envelope",
    "Event",
    "EventStore",
    "FileError",
    "Filing",
    "Frames",
    "Gap",
    "GridGovError",
    "GridGovWarning",
    "HierarchyError",
    "Household",
    "HouseholdAdded",
    "HouseholdAmended",
    "HouseholdAssigned",
    "IdFactory",
    "IntegrityError",
    "InvalidValueError",
    "Jurisdiction",
    "Level",
    "ListenerWarning",
    "MemberAttached",
    "MemberDeregistered",
    "MemberDetached",
    "MemberFiled",
    "MemberRegistered",
    "MemberStatus",
    "MemberTransferred",
    "MemberUnfiled",
    "MessageBus",
    "MissingDependencyError",
    "Move",
    "NotEmptyError",
    "OrgGraph",
    "OrgKind",
    "Organization",
    "OrganizationAmended",
    "OrganizationDissolved",
    "OrganizationFounded",
    "OrganizationRenamed",
    "OrganizationReparented",
    "Outcome",
    "PartyHousehold",
    "PartyMembership",
    "Person",
    "PersonAdded",
    "PersonAmended",
    "PersonRemoved",
    "PluginError",
    "PluginWarning",
    "Policy",
    "PolicyChanged",
    "PolicyError",
    "Post",
    "PostAssigned",
    "PostVacated",
    "Problem",
    "Registration",
    "RegistrationKind",
    "Registry",
    "Report",
    "Role",
    "Rule",
    "Scheme",
    "SchemeSet",
    "SequentialIds",
    "Service",
    "Setting",
    "Settings",
    "Severity",
    "Snapshot",
    "StateError",
    "StoreError",
    "Summary",
    "Taken",
    "Touch",
    "UnknownReferenceError",
    "ValidationError",
    "Validator",
    "ZoneClaimed",
    "ZoneReleased",
    "__version__",
    "builtin_registry",
    "churn",
    "dump",
    "dumps",
    "events_between",
    "frames",
    "hookimpl",
    "hookspec",
    "json_schema",
    "load",
    "load_settings",
    "loads",
    "parse",
    "plot",
    "plot_branches",
    "plugins",
    "save",
    "summarize",
    "validate",
]

# The simulation needs numpy and scipy (the ``simulate`` extra), the tables and plots
# pandas and matplotlib (the ``notebook`` extra): their names are imported on first use,
# so that ``import gridgov`` stays light and works without them. ``gridgov.churn`` is
# the churn of any jurisdiction (gridgov.moves); the simulation's own churn of its arrays
# is gridgov.allocation.churn and SimulationResult.churn. gridgov.frames and gridgov.plot
# import pandas and matplotlib only when called.
_LAZY = {
    "simulate": "gridgov.allocation",
    "SimulationResult": "gridgov.allocation",
    "SimulationReport": "gridgov.allocation",
    "ChurnResult": "gridgov.allocation",
    "DistrictSpec": "gridgov.allocation",
    "PRESETS": "gridgov.allocation",
}

if TYPE_CHECKING:  # for type checkers: the lazily imported names, re-exported
    from gridgov.allocation import PRESETS as PRESETS
    from gridgov.allocation import ChurnResult as ChurnResult
    from gridgov.allocation import DistrictSpec as DistrictSpec
    from gridgov.allocation import SimulationReport as SimulationReport
    from gridgov.allocation import SimulationResult as SimulationResult
    from gridgov.allocation.simulate import simulate as simulate


def __getattr__(name: str) -> Any:
    """Import the simulation's names on first use (they need the ``simulate`` extra).

    Raises
    ------
    MissingDependencyError
        If numpy or scipy is not installed.
    """
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gridgov' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
