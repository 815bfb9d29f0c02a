"""The `haven` command: Django's management commands under one name.

    haven import people FILE      haven audit verify      haven keys rotate
    haven demo load               haven runserver         haven migrate
"""
import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["haven", *argv])
    # `haven import ...` reads better than the internal name, which avoids the Python keyword.
    if len(args) > 1 and args[1] == "import":
        args[1] = "import_data"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
