"""``python -m gridgov``: the same as the ``gridgov`` command."""

import sys

from gridgov.cli import main

sys.exit(main())
