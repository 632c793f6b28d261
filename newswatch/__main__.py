"""`python -m newswatch` is the `newswatch` command."""

import sys

from newswatch.cli import main

sys.exit(main())
