import pytest

from sandbox import mltables
from sandbox.errors import InvalidInput, NotFound


def _folder(tmp_path, text):
    (tmp_path / "MLTable").write_text(text)
    (tmp_path / "a.csv").write_text("x;y\n1;2\n3;4\n5;6\n")
    return tmp_path


def test_read_delimited_then_steps(tmp_path):
    folder = _folder(tmp_path, "paths:\n  - file: ./a.csv\ntransformations:\n  - read_delimited:\n      delimiter: ';'\n  - skip: 1\n  - keep_columns: [y]\n")
    df = mltables.to_dataframe(mltables.read_document(folder), folder, lambda: None)
    assert df["y"].tolist() == [4, 6]


def test_filter_expressions_use_col(tmp_path):
    folder = _folder(tmp_path, "paths:\n  - pattern: ./*.csv\ntransformations:\n  - read_delimited: {delimiter: ';'}\n  - filter: 'col(\"x\") > 2'\n")
    df = mltables.to_dataframe(mltables.read_document(folder), folder, lambda: None)
    assert df["x"].tolist() == [3, 5]


def test_unknown_transformation_is_named(tmp_path):
    folder = _folder(tmp_path, "paths:\n  - file: ./a.csv\ntransformations:\n  - read_excel: {}\n")
    with pytest.raises(InvalidInput, match="read_excel"):
        mltables.read_document(folder)


def test_missing_mltable_file(tmp_path):
    with pytest.raises(NotFound, match="named exactly 'MLTable'"):
        mltables.read_document(tmp_path)


def test_paths_must_be_file_folder_or_pattern(tmp_path):
    folder = _folder(tmp_path, "paths:\n  - url: ./a.csv\n")
    with pytest.raises(InvalidInput, match="file:, folder: or pattern:"):
        mltables.read_document(folder)
