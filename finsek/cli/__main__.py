"""``python -m finsek.cli``: the same as the ``finsek`` command."""

import sys

from finsek.cli.main import main

sys.exit(main())
