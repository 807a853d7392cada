"""``python -m stack ...``: see the package docstring."""

import sys

from stack import cli

sys.exit(cli.main())
