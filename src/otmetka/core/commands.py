"""The base of Otmetka's console commands: help texts in the command line's language."""

from typing import Any, cast

from django.core.management.base import BaseCommand, CommandParser
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as django_gettext_lazy


class TranslatedCommand(BaseCommand):
    """A command whose `help` and arguments' help may be lazy translations (`gettext_lazy`):
    they are made plain strings in the language `otmetka` activated (cli.cli_language) when the
    parser is built, since argparse formats only real strings."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(self.help)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        for action in parser._actions:
            if isinstance(action.help, Promise):
                action.help = str(action.help)
        return parser


def gettext_lazy(message: str) -> str:
    """Django's `gettext_lazy`, typed as the `str` that `help` and argparse's `help=` expect (a
    TranslatedCommand makes it a real string when the parser is built)."""
    return cast(str, django_gettext_lazy(message))
