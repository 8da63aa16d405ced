"""`az` entry point: find the command, parse its flags, run it, print the result, choose the exit code.

Exit codes follow the Azure CLI: 0 success, 1 a failed operation, 2 a usage error (unknown command, missing or
bad argument), 3 a resource that does not exist.
"""
from __future__ import annotations

import argparse
import difflib
import sys
from typing import Any

from azure.cli import commands as _commands
from azure.cli import output as _output
from azure.cli.context import CLIError, Context

GLOBAL_FLAGS = {"--output", "-o", "--query", "--debug", "--verbose", "--only-show-errors", "--subscription",
                "--help", "-h"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's usage errors become az-style errors (exit 2)
        raise CLIError(f"{message}\nRun '{self.prog} --help' to see its arguments.", 2)


def _parser(cmd: _commands.Command, ctx: Context) -> _Parser:
    parser = _Parser(prog=f"az {cmd.name}", description=cmd.help, add_help=True, allow_abbrev=False)
    for a in cmd.args:
        options: dict[str, Any] = {"help": a.help}
        if a.dest:
            options["dest"] = a.dest
        if a.action:
            options["action"] = a.action
        else:
            if a.type:
                options["type"] = a.type
            if a.choices:
                options["choices"] = a.choices
            if a.nargs:
                options["nargs"] = a.nargs
        if a.default is not None:
            options["default"] = a.default
        if a.required:
            options["required"] = True
        parser.add_argument(*a.flags, **options)
    if cmd.scope == _commands.WORKSPACE_ARGS:
        parser.add_argument("--resource-group", "-g", dest="resource_group", help="Name of the resource group. "
                            "Default: `az configure --defaults group=<name>`.")
        parser.add_argument("--workspace-name", "-w", dest="workspace_name", help="Name of the Azure ML workspace. "
                            "Default: `az configure --defaults workspace=<name>`.")
    if cmd.confirm:
        parser.add_argument("--yes", "-y", action="store_true", help="Do not prompt for confirmation.")
    parser.add_argument("--output", "-o", dest="_output", type=str.lower, choices=_output.FORMATS,
                        help="Output format: json (default), jsonc, yaml, table, tsv, none.")
    parser.add_argument("--query", dest="_query", help="JMESPath query string.")
    parser.add_argument("--subscription", dest="_subscription", help="Name or ID of subscription.")
    for flag in ("--debug", "--verbose", "--only-show-errors"):
        parser.add_argument(flag, action="store_true", dest="_" + flag.strip("-").replace("-", "_"))
    return parser


def _find(argv: list[str]) -> tuple[_commands.Command | None, list[str], list[str]]:
    """The command named by the leading words of argv, its words, and the remaining arguments."""
    words: list[str] = []
    for token in argv:
        if token.startswith("-"):
            break
        words.append(token)
    _commands.load_group(words)
    for size in range(len(words), 0, -1):
        name = " ".join(words[:size])
        if name in _commands.COMMANDS:
            return _commands.COMMANDS[name], words[:size], argv[size:]
    return None, words, argv[len(words):]


def _group_help(words: list[str]) -> str:
    prefix = " ".join(words)
    entries = _commands.subgroups(prefix)
    lines = [f"Group\n    az {prefix}".rstrip(), ""] if prefix else ["Welcome to Azure CLI (dp100 sandbox)!", ""]
    lines.append("Subgroups and commands:")
    width = max((len(k) for k in entries), default=0)
    lines += [f"    {k.ljust(width)} : {v}" for k, v in entries.items()]
    if not prefix:
        lines += ["", "The Azure ML CLI v2 is `az ml`; `dp100 sandbox coverage` lists what the sandbox emulates."]
    return "\n".join(lines) + "\n"


def _unknown(words: list[str]) -> CLIError:
    for size in range(len(words), 0, -1):
        group = " ".join(words[:size])
        if group in _commands.NOT_YET:
            return CLIError(f"'az {group}' ({_commands.NOT_YET[group]}) is part of the real Azure CLI, but the dp100 "
                            "sandbox does not emulate it yet. `dp100 sandbox coverage` lists what it emulates.", 2)
    # the deepest prefix of the words that is a group, and the first word under it that is not
    size = 0
    while size < len(words) and words[size] in _commands.subgroups(" ".join(words[:size])):
        size += 1
    known = _commands.subgroups(" ".join(words[:size]))
    parent = " ".join(["az", *words[:size]])
    words = words[:size + 1]
    bad = words[-1] if words else ""
    message = f"{parent}: '{bad}' is not in the '{parent}' command group. See '{parent} --help'."
    close = difflib.get_close_matches(bad, list(known), n=1)
    if close:
        message += f"\n\nThe most similar choice to '{bad}' is:\n    {close[0]}"
    return CLIError(message, 2)


def run(argv: list[str], ctx: Context | None = None) -> tuple[int, str, str]:
    """Run one `az` command line; return (exit code, stdout text, stderr text)."""
    ctx = ctx or Context()
    if not argv or argv in (["--help"], ["-h"]):
        return 0, _group_help([]), ""
    if argv[0] == "--version":
        argv = ["version"]
    try:
        cmd, words, rest = _find(argv)
        if cmd is None:
            if words and (rest[:1] in (["--help"], ["-h"]) or not rest) and _commands.subgroups(" ".join(words)):
                return 0, _group_help(words), ""
            raise _unknown(words)
        parser = _parser(cmd, ctx)
        try:
            args = parser.parse_args(rest)
        except SystemExit as exc:  # --help
            return int(exc.code or 0), "", ""
        fmt = args._output or ctx.setting("core", "output") or "json"
        if cmd.scope == _commands.WORKSPACE_ARGS:
            args.resource_group = args.resource_group or ctx.setting("defaults", "group")
            args.workspace_name = args.workspace_name or ctx.setting("defaults", "workspace")
        if cmd.confirm and not args.yes:
            if not sys.stdin.isatty():
                raise CLIError(f"{cmd.confirm} Pass --yes to confirm without a prompt.", 1)
            answer = input(f"{cmd.confirm} (y/n): ").strip().lower()
            if answer not in ("y", "yes"):
                return 0, "", ""
        result = cmd.handler(ctx, args)
        if fmt == "table" and cmd.table and not args._query:
            result = _output.columns(result, cmd.table)
        result = _output.query(result, args._query)
        return 0, _output.render(result, fmt, query_active=bool(args._query)), ""
    except CLIError as exc:
        return exc.code, "", f"ERROR: {exc}\n"
    except _output.OutputError as exc:
        return 2, "", f"ERROR: {exc}\n"
    except KeyboardInterrupt:
        return 130, "", ""
    except Exception as exc:  # noqa: BLE001 - SDK and engine errors: the sentence and the az exit code
        return _sdk_error(exc)


def _sdk_error(exc: Exception) -> tuple[int, str, str]:
    from azure.ai.ml._yaml import YamlValidationError
    from azure.core.exceptions import ResourceNotFoundError, HttpResponseError

    if isinstance(exc, YamlValidationError):
        return 1, "", f"ERROR: {exc.report()}\n"
    if isinstance(exc, FileNotFoundError):
        return 1, "", f"ERROR: {exc}\n"
    if isinstance(exc, ResourceNotFoundError):
        return 3, "", f"ERROR: (ResourceNotFound) {exc}\nCode: ResourceNotFound\nMessage: {exc}\n"
    if isinstance(exc, HttpResponseError):
        return 1, "", f"ERROR: {exc}\n"
    name = type(exc).__name__
    if name in ("ValidationException", "JobException", "UserErrorException", "MlException"):
        return 1, "", f"ERROR: {exc}\n"
    import traceback

    return 1, "", f"ERROR: The command failed with an unexpected error: {name}: {exc}\n" + (
        traceback.format_exc() if "--debug" in sys.argv else "")


def main(argv: list[str] | None = None) -> int:
    code, out, err = run(list(sys.argv[1:] if argv is None else argv))
    if out:
        sys.stdout.write(out)
        sys.stdout.flush()
    if err:
        sys.stderr.write(err)
    return code
