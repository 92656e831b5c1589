"""``python -m iwmo``: the same as the ``iwmo`` command."""

from iwmo.cli import run

run()
