"""The built-in plugins: gridgov's own rules, settings, event types and id scheme.

Each module here is a plugin that implements one hook of :mod:`gridgov.plugins`, exactly
as a third party's plugin would; the plugin manager registers them by name
(``gridgov.rules``, ``gridgov.settings``, ``gridgov.events``, ``gridgov.ids``) before the
plugins of the ``gridgov`` entry-point group, so that a host can block or override any
of them (see :data:`gridgov.plugins.BUILTIN_PLUGINS`).
"""
