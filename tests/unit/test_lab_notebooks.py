"""Notebooks without Jupyter: magics made harmless, scripts turned into notebooks."""
import pytest

from labs.notebooks import NotebookError, cell_code, code_cells, to_notebook


def test_line_magics_become_pass_and_keep_line_numbers():
    code = cell_code("%load_ext sandbox\nif True:\n    !pip install foo\ny = 2", 1)
    assert code.splitlines() == ["pass  # %load_ext sandbox", "if True:", "    pass  # !pip install foo", "y = 2"]
    compile(code, "cell", "exec")


def test_writefile_writes_the_cell(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(cell_code("%%writefile src/train.py\nprint('hi')\n", 1), {})
    assert (tmp_path / "src" / "train.py").read_text() == "print('hi')\n"


def test_unknown_cell_magic_is_refused_with_the_cell_number():
    with pytest.raises(NotebookError, match="Cell 3 starts with %%bash"):
        cell_code("%%bash\nls\n", 3)


def test_percent_script_becomes_markdown_and_code_cells():
    nb = to_notebook("# %% [markdown]\n# # Title\n# text\n\n# %%\nx = 1\n\n# %%\ny = 2\n", first_cell="import sandbox")
    kinds = [c["cell_type"] for c in nb["cells"]]
    assert kinds == ["code", "markdown", "code", "code"]
    assert "".join(nb["cells"][1]["source"]) == "# Title\ntext"
    assert [c.strip() for c in code_cells(nb)] == ["import sandbox", "x = 1", "y = 2"]


def test_not_a_notebook_is_explained():
    with pytest.raises(NotebookError, match="no cells"):
        code_cells({"nbformat": 4})
