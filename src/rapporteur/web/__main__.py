"""``python -m rapporteur.web <command>``: Django's manage.py for the platform."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapporteur.web.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0].replace("__main__.py", "rapporteur.web"), *sys.argv[1:]])


if __name__ == "__main__":
    main()
