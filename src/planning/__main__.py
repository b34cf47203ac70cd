"""``python -m planning`` runs the ``safeops plan`` command line."""

import sys

from planning.cli import main

sys.exit(main())
