"""A deliberately broken gridgov plugin: importing it raises.

gridgov's tests install it next to a working plugin to check that a plugin which cannot
be loaded is reported as one :class:`~gridgov.errors.PluginWarning` naming it
(``gridgov: warning: gridgov plugin 'xx-broken' ... could not be loaded: ...`` from the
command) and that everything else keeps working.
"""

raise RuntimeError("xx-broken is broken on purpose")
