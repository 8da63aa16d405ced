"""A graded notebook's `!az ...` lines run the sandbox's Azure CLI, as they do in Jupyter; other `!` lines stay inert."""
from labs.notebooks import cell_code


def test_az_lines_run_and_other_shell_lines_stay_inert():
    code = cell_code("!pip install azure-ai-ml\n!az ml compute list -o table\nx = 1\n", 1)
    lines = code.splitlines()
    assert lines[0].startswith("pass  # !pip")
    assert lines[1] == "__import__('subprocess').run('az ml compute list -o table', shell=True)"
    assert lines[2] == "x = 1"
    compile(code, "cell", "exec")
