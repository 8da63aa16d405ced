"""Lessons can hold shell snippets (`bash run`) for the Azure ML CLI v2; they run with the sandbox's az on PATH."""
from course.lessons import display_markdown, extract_snippets
from course.snippets import prepare_folder, run_snippet

LESSON = """Some text.

```bash run
# List the compute
az ml compute list -g dp100-sandbox-rg -w dp100-workspace --query "[].name" -o tsv
```

```python run
# Python still runs
print("py")
```
"""


def test_a_bash_run_block_is_a_shell_snippet_shown_as_bash():
    shell, python = extract_snippets(LESSON)
    assert shell.language == "bash" and python.language == "python"
    assert shell.title == "List the compute" and shell.line == 4
    shown = display_markdown(LESSON)
    assert "```bash\n# List the compute" in shown and "**▶ Snippet 1**" in shown and "**▶ Snippet 2**" in shown


def test_a_shell_snippet_runs_az_against_the_sandbox_and_stops_at_the_first_failure(tmp_path, monkeypatch):
    monkeypatch.setenv("DP100_HOME", str(tmp_path / "home"))
    workspace = tmp_path / "home" / "workspace"
    folder = prepare_folder(tmp_path / "lesson", [], workspace)
    shell, _ = extract_snippets(LESSON)
    ok = run_snippet(shell.code, folder, workspace)
    assert ok.ok and ok.stdout == "", ok.stderr
    failing = run_snippet(shell.code + "az ml job show -n missing -g dp100-sandbox-rg -w dp100-workspace\n"
                          "echo not-reached\n", folder, workspace)
    assert failing.returncode == 3 and "not-reached" not in failing.stdout and "(ResourceNotFound)" in failing.stderr
