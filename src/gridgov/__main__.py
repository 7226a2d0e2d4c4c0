"""``python -m gridgov``: the same as the ``gridgov`` command."""

import sys

from gridgov.cli import main

if __name__ == "__main__":
    sys.exit(main())
