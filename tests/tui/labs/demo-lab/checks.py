"""Checks for the demo lab (TUI tests)."""
from labs.checks import check, expect


@check("Connects with Workspace.from_config()", points=1, hint="ws = Workspace.from_config()")
def connects(ctx):
    expect(ctx.calls("Workspace.from_config") or ctx.calls("from_config"), "Use Workspace.from_config().")


@check("Prints the workspace name", points=1, hint="print(ws.name)")
def prints_name(ctx):
    expect("dp100-workspace" in (ctx.outcome.output or ""), "Print ws.name so it appears in the output.")
