"""`python -m newswatch` is the `newswatch` command."""

import sys

from newswatch.scheduler.cli import main

sys.exit(main())
