"""Run the ``gridgov`` command as ``python -m gridgov.cli``."""

import sys

from gridgov.cli import main

sys.exit(main())
