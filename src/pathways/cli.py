"""The `pathways` command: Django's manage.py for this project, plus `serve` and `demo`.

    pathways migrate | createsuperuser | shell | serve | demo | any other management command
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pathways", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
