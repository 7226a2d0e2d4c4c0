"""The plugin contract between gridgov and a host's systems, and the one plugin manager.

Every hook gridgov calls is specified here, grouped by concern. A plugin is a module
(or any object) with functions marked :data:`hookimpl` whose names are hook names; it
is registered by the plugin manager. The built-in rules, settings, event types, id
scheme, event stores and message buses are plugins too (:mod:`gridgov.builtins`),
registered by name before the plugins of the ``gridgov`` entry-point group, so a host
plugin can override or block a built-in one.

A host declares its plugin in its own package::

    [project.entry-points.gridgov]
    xx-zone-rule = "xx_zone_rule"

and gridgov finds it the first time the plugins are needed (``gridgov.validate``, the
``gridgov`` command, ...). A plugin that fails to import or register is reported as one
:class:`~gridgov.errors.PluginWarning` naming it, and everything else keeps working.
Setting ``GRIDGOV_DISABLE_PLUGIN_AUTOLOAD=1`` turns entry-point loading off.

The pure core never reads the manager: :func:`gridgov.rules.validate` takes an explicit
registry. This module turns the hooks into what the core takes: :func:`registry`,
:func:`default_policy` (with the settings plugins contribute), :func:`event_types` (for
reading events), :func:`id_factory`, and :func:`event_store` and :func:`message_bus`
(which open a store or a bus from its URL).

Hook implementations take exactly the arguments they use, by name; neither
specifications nor implementations give arguments defaults.

Examples
--------
>>> import gridgov
>>> pm = new_plugin_manager(autoload=False)
>>> sorted(name for name, _ in pm.list_name_plugin())  # doctest: +NORMALIZE_WHITESPACE
['gridgov.breaking', 'gridgov.bus.memory', 'gridgov.bus.redis', 'gridgov.events', 'gridgov.ids',
 'gridgov.rules', 'gridgov.settings', 'gridgov.store.memory', 'gridgov.store.sql']
>>> len(registry(pm))
32
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

import pluggy

from gridgov.errors import InvalidValueError, PluginError, PluginWarning, short_repr
from gridgov.limits import MAX_ID_LENGTH

if TYPE_CHECKING:
    from gridgov.adapters.messaging import MessageBus
    from gridgov.adapters.storage import EventStore
    from gridgov.errors import BusError, StoreError
    from gridgov.model.events import Event
    from gridgov.model.ids import IdFactory, Taken
    from gridgov.model.policy import Policy, Setting
    from gridgov.rules.breaking import Breaking
    from gridgov.rules.registry import Registry, Rule

__all__ = [
    "AUTOLOAD_ENV",
    "BUILTIN_PLUGINS",
    "ENTRY_POINT_GROUP",
    "IDS_ENV",
    "ID_SCHEMES",
    "PROJECT",
    "GridGovPluginManager",
    "block",
    "breaking",
    "catalogue",
    "contributions",
    "default_policy",
    "event_store",
    "event_types",
    "hookimpl",
    "hookspec",
    "id_factory",
    "message_bus",
    "new_plugin_manager",
    "plugin_manager",
    "registry",
    "reset",
    "setting_owners",
    "settings",
]

PROJECT = "gridgov"
"""The pluggy project name: the markers and the manager use it."""

ENTRY_POINT_GROUP = "gridgov"
"""The entry-point group plugins are declared in."""

AUTOLOAD_ENV = "GRIDGOV_DISABLE_PLUGIN_AUTOLOAD"
"""Set this environment variable (to anything but empty) to load no entry-point plugin."""

hookspec = pluggy.HookspecMarker(PROJECT)
"""Marks a hook specification (gridgov's own, in this module)."""

hookimpl = pluggy.HookimplMarker(PROJECT)
"""Marks a hook implementation in a plugin: ``@gridgov.hookimpl``."""

BUILTIN_PLUGINS: tuple[tuple[str, str], ...] = (
    ("gridgov.rules", "gridgov.builtins.rules"),
    ("gridgov.breaking", "gridgov.builtins.breaking"),
    ("gridgov.settings", "gridgov.builtins.settings"),
    ("gridgov.events", "gridgov.builtins.events"),
    ("gridgov.ids", "gridgov.builtins.ids"),
    ("gridgov.store.memory", "gridgov.builtins.store_memory"),
    ("gridgov.store.sql", "gridgov.builtins.store_sql"),
    ("gridgov.bus.memory", "gridgov.builtins.bus_memory"),
    ("gridgov.bus.redis", "gridgov.builtins.bus_redis"),
)
"""The built-in plugins, ``(name, module)``, registered in this order before any other.

The store and bus plugins import their drivers (SQLAlchemy, redis-py) only when asked
for a URL of theirs, so a missing extra costs nothing until it is needed."""

ID_SCHEMES: Mapping[str, tuple[str, str] | None] = MappingProxyType(
    {
        "sequential": None,
        "ulid": ("gridgov.ids.ulid", "gridgov.builtins.ids_ulid"),
        "admin": ("gridgov.ids.admin", "gridgov.builtins.ids_admin"),
    }
)
"""The built-in id schemes a host turns on by name, ``scheme: (plugin name, module)``.

Unlike the plugins of :data:`BUILTIN_PLUGINS`, an id scheme is registered only when it
is chosen (``new_plugin_manager(ids="ulid")`` or ``GRIDGOV_IDS=ulid``): the first id a
registered scheme makes wins, and sequential ids (``gridgov.ids``) stay the default."""

IDS_ENV = "GRIDGOV_IDS"
"""The environment variable that chooses an id scheme of :data:`ID_SCHEMES` by name."""


# ------------------------------------------------------------------------------------------
# rules
# ------------------------------------------------------------------------------------------


@hookspec
def gridgov_rules() -> Sequence[Rule]:  # type: ignore[empty-body]
    """Return the rules this plugin contributes.

    Called once, the first time the rules are needed (by :func:`gridgov.validate`,
    :class:`gridgov.Validator`, ``gridgov validate``, ``gridgov rules`` and ``gridgov
    rule``), and again after the plugins change. Every plugin's rules are collected.

    :return: a sequence of :class:`~gridgov.rules.Rule`. A rule code contributed by two
        plugins is an error naming both (:class:`~gridgov.errors.PluginError`), unless
        one of them is blocked by name (:func:`block`).

    Example::

        @gridgov.hookimpl
        def gridgov_rules():
            return [Rule("XX201", "zone-households", "W", "a zone has too few households",
                         zone_households, subject="org", levels=("zone",),
                         reads=("households", "organizations", "policy"))]
    """


# ------------------------------------------------------------------------------------------
# policy
# ------------------------------------------------------------------------------------------


@hookspec
def gridgov_policy_defaults() -> Mapping[str, object]:  # type: ignore[empty-body]
    """Return the policy settings this plugin contributes, with their defaults.

    Called once, the first time the settings are needed (reading a document or a settings
    file, :func:`default_policy`, ``gridgov.validate(policy=...)``). Every plugin's
    settings are collected.

    :return: a mapping of setting name to its default, or to a
        :class:`~gridgov.model.Setting` that declares bounds (``minimum``, ``maximum``,
        ``choices``) and a one-line ``doc``. A plain default gives the setting its type (a
        boolean, an integer, a number or a string; an integer is then bounded by
        ``±MAX_SETTING``). A contributed setting is accepted wherever settings are given:
        ``--policy`` files, ``[tool.gridgov]``, ``policy=`` overrides, a document's own
        ``policy``, :meth:`Jurisdiction.set_policy
        <gridgov.model.Jurisdiction.set_policy>` on a jurisdiction that started from
        :func:`default_policy`; it round-trips through :func:`gridgov.dump`. A rule reads
        it with ``ctx.policy.get(name)``. A name declared by two plugins is an error naming
        both.

    Example::

        @gridgov.hookimpl
        def gridgov_policy_defaults():
            return {"xx_min_households": Setting("xx_min_households", 1, minimum=0,
                                                 doc="households a zone needs")}
    """


# ------------------------------------------------------------------------------------------
# events
# ------------------------------------------------------------------------------------------


@hookspec
def gridgov_event_types() -> Sequence[type[Event]]:  # type: ignore[empty-body]
    """Return the event classes this plugin contributes.

    Called once, the first time events are read from data
    (:func:`gridgov.converters.structure_event`). Applying an event needs no registration
    (the class carries its declaration); reading one back from JSON looks its ``topic``
    up among the classes contributed here. Every plugin's classes are collected.

    :return: a sequence of :class:`~gridgov.model.events.Event` subclasses. A topic
        contributed by two plugins is an error naming both.

    Example::

        @gridgov.hookimpl
        def gridgov_event_types():
            return [MembersSwapped]
    """


# ------------------------------------------------------------------------------------------
# testing
# ------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def gridgov_breaking(code: str) -> Breaking | None:
    """Return how to break the rule `code`, or ``None`` if this plugin does not know.

    Called by the testing kit (:func:`gridgov.testing.strategies.jurisdictions` with
    ``breaking=code``, and :func:`~gridgov.testing.strategies.documents`) to build a
    jurisdiction or a document that breaks the rule and no other error-level rule.
    The first non-None result wins, so a plugin answers for its own codes and returns
    ``None`` for the others.

    :param code: a rule code, ``GG301`` or a plugin's ``XX123``.
    :return: a :class:`~gridgov.rules.breaking.Breaking`: the mutation that turns a
        clean jurisdiction (or its document) into one that breaks the rule.

    Example::

        @gridgov.hookimpl
        def gridgov_breaking(code):
            if code == "XX001":
                return Breaking("XX001", name_a_branch_test, needs=("branch",))
            return None
    """


# ------------------------------------------------------------------------------------------
# ids
# ------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def gridgov_make_id(kind: str, parent: str | None, taken: Taken) -> str | None:
    """Make a new id for a record created without one.

    Called by the id factory :func:`id_factory` returns (used by the simulation, and by
    a host that passes it to :class:`~gridgov.model.Jurisdiction`) for every record it
    creates without an id.

    :param kind: the level for an organization (``"branch"``), or ``"person"``,
        ``"household"``, ``"cooperative"``.
    :param parent: the parent organization's id (an organization's parent, a
        cooperative's community) or ``None``, so that a scheme of hierarchical codes can
        extend its parent's.
    :param taken: a :class:`~gridgov.model.ids.Taken`: ``taken(id)`` is true when `id`
        is already used; ``taken.memo`` is a dict the scheme may keep counters in.
    :return: an id that is not taken, or ``None`` to let the next implementation decide.
        The first non-``None`` result wins; the built-in sequential ids (``O1``, ``P1``,
        ``H1``, ``EC1``) come last.

    Example::

        @gridgov.hookimpl(tryfirst=True)
        def gridgov_make_id(kind, parent, taken):
            if kind == "person":
                n = taken.memo.get("gz", 0) + 1
                while taken(f"GZ{n:06d}"):
                    n += 1
                taken.memo["gz"] = n
                return f"GZ{n:06d}"
            return None
    """


# ------------------------------------------------------------------------------------------
# storage
# ------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def gridgov_event_store(url: str) -> EventStore | None:
    """Open the event store at `url`, if this plugin knows the URL's scheme.

    Called by :func:`event_store` (and so by :class:`gridgov.service.Service` given a
    URL, and by every ``gridgov --store URL`` command) each time a store is opened.

    :param url: the store's URL as the host wrote it: ``memory://``,
        ``sqlite:///gridgov.db``, ``postgresql+psycopg://user@host/db``, or a scheme of
        the plugin's own.
    :return: an open :class:`~gridgov.adapters.storage.EventStore`, or ``None`` when the
        URL is not this plugin's, to let the next implementation decide. The first
        non-``None`` result wins; when none opens the URL, :func:`event_store` raises
        :class:`~gridgov.errors.StoreError`. An implementation that knows the scheme but
        cannot open it raises: :class:`~gridgov.errors.MissingDependencyError` naming the
        extra to install, :class:`~gridgov.errors.StoreError` for a bad URL. It should
        not connect yet: a store connects on first use, and reports a server that does
        not answer as a ``StoreError`` then.

    Example::

        @gridgov.hookimpl
        def gridgov_event_store(url):
            if url.startswith("dynamodb://"):
                return DynamoEventStore(url)  # a subclass of EventStore
            return None
    """


# ------------------------------------------------------------------------------------------
# messaging
# ------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def gridgov_message_bus(url: str) -> MessageBus | None:
    """Open the message bus at `url`, if this plugin knows the URL's scheme.

    Called by :func:`message_bus` (and so by :class:`gridgov.service.Service` given a
    URL) each time a bus is opened.

    :param url: the bus's URL as the host wrote it: ``memory://``,
        ``redis://host:6379/0``, or a scheme of the plugin's own.
    :return: an open :class:`~gridgov.adapters.messaging.MessageBus`, or ``None`` when
        the URL is not this plugin's. The first non-``None`` result wins; when none
        opens the URL, :func:`message_bus` raises :class:`~gridgov.errors.BusError`. An
        implementation that knows the scheme but cannot open it raises
        :class:`~gridgov.errors.MissingDependencyError` (a missing extra) or
        :class:`~gridgov.errors.BusError` (a bad URL); it should connect on first use.

    Example::

        @gridgov.hookimpl
        def gridgov_message_bus(url):
            if url.startswith("kafka://"):
                return KafkaBus(url)  # a subclass of MessageBus
            return None
    """


# ------------------------------------------------------------------------------------------
# the plugin manager
# ------------------------------------------------------------------------------------------


class GridGovPluginManager(pluggy.PluginManager):
    """A pluggy plugin manager that remembers what it built from its plugins.

    The rules, settings and event types collected from the hooks are kept until the
    plugins change (a plugin registered, unregistered or blocked).
    """

    def __init__(self) -> None:
        super().__init__(PROJECT)
        self.add_hookspecs(sys.modules[__name__])
        self.cache: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        """For each plugin name, where it comes from (a module, or a distribution)."""

    def register(self, plugin: object, name: str | None = None) -> str | None:
        """Register `plugin` under `name` (default: a name pluggy makes); see pluggy.

        Raises
        ------
        PluginError
            If `name` is not a plugin name, or pluggy refuses the plugin (a name or
            plugin registered already, a hook implementation no specification knows).

        Examples
        --------
        >>> import types
        >>> pm = new_plugin_manager(autoload=False)
        >>> pm.register(types.ModuleType("xx_empty"), "xx-empty")
        'xx-empty'
        >>> pm.register(types.ModuleType("xx_other"), "xx-empty")
        Traceback (most recent call last):
        ...
        gridgov.errors.PluginError: plugin 'xx-empty': Plugin name already registered: ...
        """
        if name is not None:
            _check_name("name", name)
        self.cache.clear()
        try:
            return super().register(plugin, name)
        except (ValueError, TypeError, pluggy.PluginValidationError) as exc:
            raise PluginError(f"plugin {short_repr(name or plugin)}", str(exc)) from None

    def unregister(self, plugin: object | None = None, name: str | None = None) -> Any:
        """Unregister `plugin`, or the plugin registered under `name`; see pluggy.

        Raises
        ------
        PluginError
            If neither is given, or `name` is not a plugin name.

        Examples
        --------
        >>> pm = new_plugin_manager(autoload=False)
        >>> _ = pm.unregister(name="gridgov.rules")
        >>> len(registry(pm))
        0
        """
        if name is not None:
            _check_name("name", name)
        if plugin is None and name is None:
            raise PluginError("unregister", "give the plugin or its name")
        if plugin is not None and name is not None and self.get_plugin(name) is not plugin:
            raise PluginError(f"plugin {name!r}", "is not the plugin given")
        self.cache.clear()
        try:
            return super().unregister(plugin, name)
        except ValueError as exc:  # the name and the plugin do not agree
            raise PluginError(f"plugin {short_repr(name or plugin)}", str(exc)) from None

    def set_blocked(self, name: str) -> None:
        """Block the plugin `name` (unregistering it if it is registered); see pluggy.

        Raises
        ------
        PluginError
            If `name` is not a plugin name.

        Examples
        --------
        >>> pm = new_plugin_manager(autoload=False)
        >>> pm.set_blocked("gridgov.rules")
        >>> pm.is_blocked("gridgov.rules"), len(registry(pm))
        (True, 0)
        """
        _check_name("name", name)
        self.cache.clear()
        super().set_blocked(name)


def _check_name(field: str, name: object) -> str:
    if not isinstance(name, str) or not name or len(name) > MAX_ID_LENGTH:
        raise PluginError(
            field,
            f"a plugin name is a non-empty string of at most {MAX_ID_LENGTH} characters, "
            f"not {short_repr(name)}",
        )
    return name


def _manager(pm: object) -> GridGovPluginManager:
    """`pm`, or the process's plugin manager when it is ``None``."""
    if pm is None:
        return plugin_manager()
    if not isinstance(pm, GridGovPluginManager):
        raise InvalidValueError("pm", pm, "expected a GridGovPluginManager or None")
    return pm


def new_plugin_manager(
    *, autoload: bool | None = None, blocked: Iterable[str] = (), ids: str | None = None
) -> GridGovPluginManager:
    """Return a new plugin manager with the built-in plugins and (by default) the installed ones.

    Parameters
    ----------
    autoload : bool, optional
        Load the plugins of the ``gridgov`` entry-point group (default: unless
        ``GRIDGOV_DISABLE_PLUGIN_AUTOLOAD`` is set).
    blocked : iterable of str
        Plugin names not to register (a built-in one such as ``gridgov.rules``, or an
        entry-point name).
    ids : str, optional
        The id scheme to turn on, a name of :data:`ID_SCHEMES` (default: the
        ``GRIDGOV_IDS`` environment variable, else ``"sequential"``).

    Returns
    -------
    GridGovPluginManager

    Raises
    ------
    PluginError
        If `ids` names no id scheme.

    Examples
    --------
    >>> pm = new_plugin_manager(autoload=False, blocked=["gridgov.rules"])
    >>> len(registry(pm))
    0
    >>> pm = new_plugin_manager(autoload=False, ids="admin")
    >>> pm.get_plugin("gridgov.ids.admin") is not None
    True
    """
    if autoload is not None and not isinstance(autoload, bool):
        raise InvalidValueError("autoload", autoload, "must be True, False or None")
    if isinstance(blocked, str | bytes | Mapping) or not isinstance(blocked, Iterable):
        raise InvalidValueError("blocked", blocked, "must be a list of plugin names")
    names = [_check_name("blocked", name) for name in blocked]
    if ids is None:
        ids = os.environ.get(IDS_ENV) or "sequential"
    if not isinstance(ids, str) or ids not in ID_SCHEMES:
        raise PluginError(
            "ids", f"unknown id scheme {short_repr(ids)}; the schemes are {', '.join(ID_SCHEMES)}"
        )
    pm = GridGovPluginManager()
    for name in names:
        pm.set_blocked(name)
    scheme = ID_SCHEMES[ids]
    for name, module in (*BUILTIN_PLUGINS, *(() if scheme is None else (scheme,))):
        if pm.is_blocked(name):
            continue
        pm.register(importlib.import_module(module), name)
        pm.sources[name] = module
    if autoload is None:
        autoload = not os.environ.get(AUTOLOAD_ENV)
    if autoload:
        _load_entry_points(pm)
    return pm


def _load_entry_points(pm: GridGovPluginManager) -> None:
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
            pm.register(plugin, ep.name)
        except Exception as exc:
            warnings.warn(
                PluginWarning(
                    f"gridgov plugin {ep.name!r} ({ep.value}) could not be loaded: "
                    f"{type(exc).__name__}: {exc}"
                ),
                stacklevel=3,
            )
            continue
        dist = getattr(ep, "dist", None)
        pm.sources[ep.name] = f"{dist.name} {dist.version}" if dist is not None else ep.value


_MANAGER: GridGovPluginManager | None = None
_BLOCKED: list[str] = []  # blocked before _MANAGER was set up: it never loads them


def plugin_manager() -> GridGovPluginManager:
    """Return the plugin manager of this process, set up on first use.

    Examples
    --------
    >>> plugin_manager() is plugin_manager()
    True
    """
    global _MANAGER
    if _MANAGER is None:
        _MANAGER = new_plugin_manager(blocked=_BLOCKED)
    return _MANAGER


def reset(pm: GridGovPluginManager | None = None) -> None:
    """Replace the process's plugin manager by `pm` (or set it up afresh on next use).

    For tests, and for a host that builds its own manager (:func:`new_plugin_manager`).

    Examples
    --------
    >>> reset(new_plugin_manager(autoload=False))
    >>> reset()
    """
    global _MANAGER
    if pm is not None and not isinstance(pm, GridGovPluginManager):
        raise InvalidValueError("pm", pm, "expected a GridGovPluginManager or None")
    _MANAGER = pm
    _BLOCKED.clear()


def block(name: str, pm: GridGovPluginManager | None = None) -> None:
    """Block the plugin `name` (unregistering it if it is registered).

    Blocked before the process's plugin manager is set up (the first time the plugins
    are needed), an installed plugin is never loaded: its module is not even imported,
    so a broken one gives no warning.

    Examples
    --------
    >>> pm = new_plugin_manager(autoload=False)
    >>> block("gridgov.rules", pm)
    >>> len(registry(pm))
    0
    >>> reset()
    >>> block("gridgov.rules")  # before the process's manager is set up
    >>> plugin_manager().get_plugin("gridgov.rules") is None
    True
    >>> reset()
    """
    _check_name("name", name)
    if pm is None and _MANAGER is None:
        if name not in _BLOCKED:
            _BLOCKED.append(name)
        return
    _manager(pm).set_blocked(name)


def contributions(hook: str, pm: GridGovPluginManager | None = None) -> Iterator[tuple[str, Any]]:
    """Yield ``(plugin name, result)`` of a collecting hook, plugin by plugin.

    A plugin whose implementation raises is reported as a :class:`PluginWarning` and
    skipped.

    Examples
    --------
    >>> pm = new_plugin_manager(autoload=False)
    >>> [name for name, _ in contributions("gridgov_rules", pm)]
    ['gridgov.rules']
    """
    manager = _manager(pm)
    if not isinstance(hook, str) or not hook.startswith("gridgov_"):
        raise InvalidValueError("hook", hook, "must name a gridgov hook (gridgov_...)")
    caller = getattr(manager.hook, hook, None)
    if caller is None:
        raise InvalidValueError("hook", hook, "names no hook of gridgov")
    return _contributions(caller, hook)


def _contributions(caller: Any, hook: str) -> Iterator[tuple[str, Any]]:
    for impl in reversed(caller.get_hookimpls()):
        try:
            result = impl.function(**dict.fromkeys(impl.argnames))
        except Exception as exc:
            warnings.warn(
                PluginWarning(
                    f"gridgov plugin {impl.plugin_name!r} failed in {hook}: "
                    f"{type(exc).__name__}: {exc}"
                ),
                stacklevel=2,
            )
            continue
        if result is not None:
            yield impl.plugin_name, result


def _cached(pm: GridGovPluginManager, key: str, build: Callable[[], Any]) -> Any:
    if key not in pm.cache:
        pm.cache[key] = build()
    return pm.cache[key]


def registry(pm: GridGovPluginManager | None = None) -> Registry:
    """Return a new registry of the rules every registered plugin contributes.

    Raises
    ------
    PluginError
        If two plugins contribute the same code, or a plugin returns something that is
        not a rule.

    Examples
    --------
    >>> r = registry(new_plugin_manager(autoload=False))
    >>> r["GG301"].name
    'grid-branch-first-secretary'
    """
    from gridgov.rules.registry import Registry, Rule

    pm = _manager(pm)

    def build() -> tuple[Rule, ...]:
        owner: dict[str, str] = {}
        rules: list[Rule] = []
        for name, contributed in contributions("gridgov_rules", pm):
            for rule in _sequence(contributed, "gridgov_rules", name):
                if not isinstance(rule, Rule):
                    raise PluginError(
                        f"plugin {name!r}", f"gridgov_rules returned {rule!r}, not a Rule"
                    )
                if rule.code in owner:
                    raise PluginError(
                        f"rule {rule.code}",
                        f"contributed by both {owner[rule.code]!r} and {name!r}; block one "
                        "of them by name",
                    )
                owner[rule.code] = name
                rules.append(rule)
        return tuple(rules)

    return Registry(_cached(pm, "rules", build))


def breaking(code: str, pm: GridGovPluginManager | None = None) -> Breaking | None:
    """Return how to break the rule `code` (the ``gridgov_breaking`` hook), or ``None``.

    Raises
    ------
    InvalidValueError
        If `code` is not a rule code.
    PluginError
        If a plugin answers with something that is not a
        :class:`~gridgov.rules.breaking.Breaking` of that code.

    Examples
    --------
    >>> pm = new_plugin_manager(autoload=False)
    >>> breaking("GG307", pm).summary, breaking("XX999", pm)
    ('Vacates a group leader.', None)
    """
    from gridgov.rules.registry import _CODE

    if not isinstance(code, str) or not _CODE.match(code):
        raise InvalidValueError("code", code, "must be a rule code (GG301, XX123)")
    manager = _manager(pm)
    result = manager.hook.gridgov_breaking(code=code)
    # checked by shape, not class: a doctest run may import gridgov.rules.breaking twice
    if result is not None and (
        getattr(result, "code", None) != code
        or not callable(getattr(result, "apply", None))
        or getattr(result, "target", None) not in ("jurisdiction", "document")
    ):
        raise PluginError(
            f"rule {code}", f"gridgov_breaking returned {short_repr(result)}, not its Breaking"
        )
    return cast("Breaking | None", result)


def settings(pm: GridGovPluginManager | None = None) -> Mapping[str, Setting]:
    """Return the declaration of every setting the registered plugins contribute.

    Raises
    ------
    PluginError
        If two plugins declare the same setting, or a declaration is malformed.

    Examples
    --------
    >>> s = settings(new_plugin_manager(autoload=False))
    >>> s["max_branch_members"].default
    50
    """
    from gridgov.errors import PolicyError
    from gridgov.model.policy import Setting

    pm = _manager(pm)

    def build() -> dict[str, Setting]:
        owner: dict[str, str] = {}
        out: dict[str, Setting] = {}
        for name, contributed in contributions("gridgov_policy_defaults", pm):
            if not isinstance(contributed, Mapping):
                raise PluginError(
                    f"plugin {name!r}", "gridgov_policy_defaults must return a mapping"
                )
            for key, value in contributed.items():
                try:
                    setting = value if isinstance(value, Setting) else Setting(key, value)
                except PolicyError as exc:
                    raise PluginError(f"plugin {name!r}", f"setting {key!r}: {exc}") from None
                if setting.name != key:
                    raise PluginError(
                        f"plugin {name!r}", f"setting {key!r} is declared as {setting.name!r}"
                    )
                if key in owner:
                    raise PluginError(
                        f"setting {key!r}",
                        f"contributed by both {owner[key]!r} and {name!r}; block one of "
                        "them by name",
                    )
                owner[key] = name
                out[key] = setting
        return out

    result: Mapping[str, Setting] = _cached(pm, "settings", build)
    return result


def setting_owners(pm: GridGovPluginManager | None = None) -> Iterator[tuple[str, str]]:
    """Yield ``(setting name, plugin name)`` for every setting a plugin declares.

    Examples
    --------
    >>> dict(setting_owners(new_plugin_manager(autoload=False)))["max_branch_members"]
    'gridgov.settings'
    """
    found = contributions("gridgov_policy_defaults", pm)  # checks pm now, not when read
    return (
        (str(name), plugin)
        for plugin, contributed in found
        if isinstance(contributed, Mapping)
        for name in contributed
    )


def catalogue(pm: GridGovPluginManager | None = None) -> Mapping[str, Setting]:
    """Return the contributed (not built-in) settings: a :class:`~gridgov.model.Policy`'s catalogue.

    Examples
    --------
    >>> dict(catalogue(new_plugin_manager(autoload=False)))
    {}
    """
    from gridgov.errors import PolicyError
    from gridgov.model.policy import catalogue_of

    pm = _manager(pm)

    def build() -> Mapping[str, Setting]:
        try:
            return catalogue_of(settings(pm).values())
        except PolicyError as exc:
            raise PluginError("settings", str(exc)) from None

    result: Mapping[str, Setting] = _cached(pm, "catalogue", build)
    return result


def default_policy(pm: GridGovPluginManager | None = None) -> Policy:
    """Return the default policy, knowing the settings the plugins contribute.

    Examples
    --------
    >>> default_policy(new_plugin_manager(autoload=False)).max_branch_members
    50
    """
    from gridgov.model.policy import Policy

    return Policy(catalogue=catalogue(pm))


def event_types(pm: GridGovPluginManager | None = None) -> Mapping[str, type[Event]]:
    """Return every event class the registered plugins contribute, by topic.

    Raises
    ------
    PluginError
        If two plugins contribute the same topic, or something that is not an event class.

    Examples
    --------
    >>> types = event_types(new_plugin_manager(autoload=False))
    >>> types["MemberFiled"].record
    'filings'
    """
    from gridgov.model.events import Event

    pm = _manager(pm)

    def build() -> dict[str, type[Event]]:
        owner: dict[str, str] = {}
        out: dict[str, type[Event]] = {}
        for name, contributed in contributions("gridgov_event_types", pm):
            for cls in _sequence(contributed, "gridgov_event_types", name):
                if not (isinstance(cls, type) and issubclass(cls, Event)):
                    raise PluginError(
                        f"plugin {name!r}",
                        f"gridgov_event_types returned {cls!r}, not an Event subclass",
                    )
                if cls.topic in owner and out[cls.topic] is not cls:
                    raise PluginError(
                        f"event type {cls.topic!r}",
                        f"contributed by both {owner[cls.topic]!r} and {name!r}; block one "
                        "of them by name",
                    )
                owner[cls.topic] = name
                out[cls.topic] = cls
        return out

    result: Mapping[str, type[Event]] = _cached(pm, "events", build)
    return result


def id_factory(pm: GridGovPluginManager | None = None) -> IdFactory:
    """Return an id factory that asks the ``gridgov_make_id`` hook.

    Returns
    -------
    IdFactory
        ``factory(kind, parent, taken)``: the first plugin's id (the built-in sequential
        ids when no plugin makes one). The implementations are those registered when the
        factory is made.

    Raises
    ------
    PluginError
        (when called) If no plugin makes an id, or one returns something that is not a
        non-empty string.

    Examples
    --------
    >>> from gridgov.model import Jurisdiction
    >>> j = Jurisdiction(ids=id_factory(new_plugin_manager(autoload=False)))
    >>> j.found_org(None, "street", "S").org.id
    'S1'
    """
    impls = [
        (impl.function, tuple(impl.argnames))
        for impl in reversed(_manager(pm).hook.gridgov_make_id.get_hookimpls())
    ]
    full = ("kind", "parent", "taken")
    if len(impls) == 1 and impls[0][1] == full:
        # one implementation: it is the factory (first result wins trivially); a result
        # that is not an id is refused by whoever asked, as from any factory
        return cast("IdFactory", impls[0][0])

    def make(kind: str, parent: str | None, taken: Taken) -> str:
        given = {"kind": kind, "parent": parent, "taken": taken}
        for function, names in impls:
            made = function(*[given[n] for n in names])
            if made is not None:
                if not isinstance(made, str) or not made:
                    raise PluginError(
                        "gridgov_make_id", f"a plugin made {made!r}, not an id, for a {kind!r}"
                    )
                return made
        raise PluginError("gridgov_make_id", f"no plugin made an id for a {kind!r}")

    return make


def event_store(url: str, pm: GridGovPluginManager | None = None) -> EventStore:
    """Open the event store at `url` through the ``gridgov_event_store`` hook.

    Parameters
    ----------
    url : str
        ``memory://`` (a new store in the process), ``sqlite:///FILE`` (``sqlite://``
        alone: in memory), ``postgresql+psycopg://USER@HOST:PORT/DB``, or a URL a
        plugin opens. The SQL URLs take ``?prefix=`` (of the table names, default
        ``gridgov_``) and, on PostgreSQL, ``?schema=``.
    pm : GridGovPluginManager, optional
        The plugin manager (default: the process's).

    Returns
    -------
    EventStore

    Raises
    ------
    StoreError
        Naming ``url``, if no plugin opens the URL or it is not one (not a non-empty
        string of text without control characters); naming no argument, if the
        backend refuses it (the message hides a password).
    InvalidValueError
        If `pm` is not a plugin manager.
    MissingDependencyError
        If the backend needs an extra that is not installed (``gridgov[sql]``).

    Examples
    --------
    >>> event_store("memory://")
    <MemoryEventStore memory://>
    >>> event_store("mongodb://user:secret@host/db")
    Traceback (most recent call last):
    ...
    gridgov.errors.StoreError: url: mongodb://user:***@host/db: no plugin opens this URL; gridgov opens memory://, sqlite:///FILE and postgresql+psycopg://USER@HOST/DB
    """
    from gridgov.adapters import redact_url
    from gridgov.errors import StoreError

    manager = _manager(pm)
    _check_url(url, "store", StoreError)
    store: EventStore | None = manager.hook.gridgov_event_store(url=url)
    if store is None:
        raise StoreError(
            redact_url(url),
            "no plugin opens this URL; gridgov opens memory://, sqlite:///FILE and "
            "postgresql+psycopg://USER@HOST/DB",
            field="url",
        )
    return store


def message_bus(url: str, pm: GridGovPluginManager | None = None) -> MessageBus:
    """Open the message bus at `url` through the ``gridgov_message_bus`` hook.

    Parameters
    ----------
    url : str
        ``memory://`` (a new bus in the process), ``redis://HOST:PORT/DB`` (or
        ``rediss://`` with TLS; ``?prefix=`` sets the key prefix, default
        ``gridgov:``), or a URL a plugin opens.
    pm : GridGovPluginManager, optional
        The plugin manager (default: the process's).

    Returns
    -------
    MessageBus

    Raises
    ------
    BusError
        Naming ``url``, if no plugin opens the URL or it is not one (not a non-empty
        string of text without control characters); naming no argument, if the
        backend refuses it (the message hides a password).
    InvalidValueError
        If `pm` is not a plugin manager.
    MissingDependencyError
        If the backend needs an extra that is not installed (``gridgov[redis]``).

    Examples
    --------
    >>> message_bus("memory://")
    <MemoryBus memory://>
    >>> message_bus("amqp://guest:guest@host")
    Traceback (most recent call last):
    ...
    gridgov.errors.BusError: url: amqp://guest:***@host: no plugin opens this URL; gridgov opens memory:// and redis://HOST:PORT/DB
    """
    from gridgov.adapters import redact_url
    from gridgov.errors import BusError

    manager = _manager(pm)
    _check_url(url, "bus", BusError)
    bus: MessageBus | None = manager.hook.gridgov_message_bus(url=url)
    if bus is None:
        raise BusError(
            redact_url(url),
            "no plugin opens this URL; gridgov opens memory:// and redis://HOST:PORT/DB",
            field="url",
        )
    return bus


def _check_url(url: object, what: str, error: type[StoreError | BusError]) -> None:
    """Refuse what cannot be a URL before a plugin is asked to open it."""
    from gridgov.adapters import redact_url
    from gridgov.limits import MAX_TEXT_LENGTH, check_id_text

    try:
        check_id_text("url", url, max_length=MAX_TEXT_LENGTH)
    except InvalidValueError as exc:
        shown = short_repr(redact_url(url) if isinstance(url, str) else url)
        raise error(shown, f"not a {what} URL: {exc.reason}", field="url") from None


def _sequence(value: object, hook: str, plugin: str) -> Sequence[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | tuple | list):
        if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
            return list(value)
        raise PluginError(f"plugin {plugin!r}", f"{hook} must return a sequence, not {value!r}")
    return value
