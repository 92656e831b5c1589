"""``python -m iwmo``: the same as the ``iwmo`` command."""

import sys

from iwmo.cli import main

sys.exit(main())
