"""``python -m caseline``."""

import sys

from caseline.cli import main

sys.exit(main())
