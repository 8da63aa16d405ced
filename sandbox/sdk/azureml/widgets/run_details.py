"""`RunDetails(run).show()`: the run's status, metrics and child runs, refreshed until the run ends.

In Jupyter it is an HTML view (an ipywidgets `HTML` widget when ipywidgets is installed, else a display that is
updated in place) refreshed by a background thread, so the notebook stays usable, as the real widget does. In a
terminal it prints a text table: a submitted run is followed until it ends; an interactive run that this same
process is logging is shown once (waiting for it would never end).
"""
from __future__ import annotations

import html
import sys
import threading
import time
from typing import Any

TERMINAL = ("Completed", "Failed", "Canceled", "Finished", "NotResponding")
REFRESH_SECONDS = 2.0


class RunDetails:
    def __init__(self, run_instance: Any) -> None:
        if not hasattr(run_instance, "get_status") or not hasattr(run_instance, "get_metrics"):
            raise TypeError(f"RunDetails needs a Run (from exp.submit or exp.start_logging); got "
                            f"{type(run_instance).__name__}.")
        self.run_instance = run_instance
        self._thread: threading.Thread | None = None

    # -- data ------------------------------------------------------------------------------------
    def get_widget_data(self, widget_settings: dict | None = None) -> dict[str, Any]:
        run = self.run_instance
        details = run.get_details()
        children = []
        for child in run.get_children():
            child_details = child.get_details()
            children.append({"run_id": child.id, "status": child.get_status(),
                             "start_time": child_details.get("startTimeUtc"),
                             "end_time": child_details.get("endTimeUtc"),
                             "metrics": _last_values(child.get_metrics())})
        return {"run_id": run.id, "experiment": getattr(run.experiment, "name", None), "status": run.get_status(),
                "start_time": details.get("startTimeUtc"), "end_time": details.get("endTimeUtc"),
                "metrics": _last_values(run.get_metrics()), "children": children,
                "error": ((details.get("error") or {}).get("error") or {}).get("message"),
                "portal_url": run.get_portal_url()}

    # -- showing ---------------------------------------------------------------------------------
    def show(self, render_lib: Any = None, widget_settings: dict | None = None) -> None:
        if _in_notebook():
            self._show_in_notebook()
        else:
            self._show_in_terminal()

    def _show_in_notebook(self) -> None:
        from IPython.display import HTML, display

        try:
            import ipywidgets

            widget = ipywidgets.HTML(value=render_html(self.get_widget_data()))
            display(widget)

            def update(data: dict[str, Any]) -> None:
                widget.value = render_html(data)
        except ImportError:
            handle = display(HTML(render_html(self.get_widget_data())), display_id=True)

            def update(data: dict[str, Any]) -> None:
                handle.update(HTML(render_html(data)))

        self._thread = threading.Thread(target=self._follow, args=(update,), daemon=True, name="RunDetails")
        self._thread.start()

    def _follow(self, update: Any) -> None:
        while True:
            data = self.get_widget_data()
            update(data)
            if data["status"] in TERMINAL:
                return
            time.sleep(REFRESH_SECONDS)

    def _show_in_terminal(self) -> None:
        data = self.get_widget_data()
        follow = data["status"] not in TERMINAL and not _is_interactive(self.run_instance)
        last = None
        while True:
            text = render_text(data)
            if text != last:
                print(text, flush=True)
                last = text
            if not follow or data["status"] in TERMINAL:
                return
            time.sleep(REFRESH_SECONDS)
            data = self.get_widget_data()


def _is_interactive(run: Any) -> bool:
    return getattr(run, "type", None) == "azureml.run"


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()
    except AttributeError:
        return False
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def _last_values(metrics: dict[str, Any]) -> dict[str, Any]:
    """One value per metric for display: the last of a series, a table's column count."""
    shown: dict[str, Any] = {}
    for name, value in metrics.items():
        if isinstance(value, list):
            shown[name] = value[-1] if value else None
        elif isinstance(value, dict):
            shown[name] = f"table ({len(value)} columns)"
        else:
            shown[name] = value
    return shown


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return "" if value is None else str(value)


def render_text(data: dict[str, Any]) -> str:
    lines = [f"Run {data['run_id']}  ({data['experiment']})  status: {data['status']}"]
    if data.get("error"):
        lines.append(f"  error: {data['error']}")
    if data["metrics"]:
        width = max(len(k) for k in data["metrics"])
        lines.append("  metrics:")
        lines += [f"    {k.ljust(width)}  {_fmt(v)}" for k, v in data["metrics"].items()]
    if data["children"]:
        lines.append(f"  child runs ({len(data['children'])}):")
        for child in data["children"]:
            metrics = ", ".join(f"{k}={_fmt(v)}" for k, v in child["metrics"].items())
            lines.append(f"    {child['run_id']}  {child['status']}" + (f"  {metrics}" if metrics else ""))
    lines.append(f"  {data['portal_url']}")
    return "\n".join(lines)


def render_html(data: dict[str, Any]) -> str:
    esc = html.escape
    rows = "".join(f"<tr><td>{esc(k)}</td><td>{esc(_fmt(v))}</td></tr>" for k, v in data["metrics"].items())
    children = "".join(
        f"<tr><td>{esc(c['run_id'])}</td><td>{esc(c['status'])}</td><td>"
        f"{esc(', '.join(f'{k}={_fmt(v)}' for k, v in c['metrics'].items()))}</td></tr>" for c in data["children"])
    parts = [f"<div><b>Run</b> {esc(data['run_id'])} &middot; {esc(str(data['experiment']))} &middot; "
             f"<b>{esc(data['status'])}</b></div>"]
    if data.get("error"):
        parts.append(f"<div style='color:#b00'>{esc(data['error'])}</div>")
    if rows:
        parts.append(f"<table><tr><th>Metric</th><th>Value</th></tr>{rows}</table>")
    if children:
        parts.append(f"<table><tr><th>Child run</th><th>Status</th><th>Metrics</th></tr>{children}</table>")
    parts.append(f"<div><a href='{esc(data['portal_url'])}' target='_blank'>View run</a></div>")
    return "\n".join(parts)
