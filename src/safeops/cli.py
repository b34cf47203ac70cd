"""The `safeops` console script: Django's management commands under one name.

`safeops import-schools FILE` runs the `import_schools` command, `safeops serve` the ASGI
server, and so on; a user never needs manage.py. `safeops help` lists every command.
`safeops plan` is the planning package's own command line: planning needs no Django settings,
so it runs without DEBUG, SECRET_KEY or a database.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from django.core.management import execute_from_command_line


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "plan":
        from planning.cli import main as planning_main  # noqa: PLC0415 - no Django for planning

        sys.exit(planning_main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeops.settings.base")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "safeops"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
