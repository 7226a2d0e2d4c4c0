"""Register the host's plugin before the test modules are imported.

Installed, the plugin would be found through its ``gridgov`` entry point; here it is
registered by hand in a fresh plugin manager, which becomes the process's manager. It
must be in place when the test modules are imported: strategies check their arguments
(``breaking="XX301"`` names a registered rule) when they are created.
"""

from __future__ import annotations

import xx_first_secretaries

from gridgov import plugins

manager = plugins.new_plugin_manager(autoload=False)
manager.register(xx_first_secretaries, "xx-first-secretaries")
plugins.reset(manager)
