"""Subcommands beyond `check`: each module has `add_parser(sub)`, registered in cli.COMMANDS."""
