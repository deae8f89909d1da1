"""Spreadsheet exports: no cell, nor any part of a cell a spreadsheet may split off, is a formula."""

import csv
import io

import pytest

from csphub.lib.csv_safe import csv_response, neutralise_cell

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\uff1d"]
SEPARATORS = [";", ",", "\t", "|", "\n", "\r"]


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_a_cell_starting_with_a_formula_trigger_is_shown_as_text(trigger):
    assert neutralise_cell(f"{trigger}1+1") == f"'{trigger}1+1"


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
def test_a_formula_after_a_separator_is_neutralised_too(separator, trigger):
    """Opened with ';' (or tab, or '|') as the field break, `a;=HYPERLINK(...)` becomes two cells."""
    cell = f'a{separator}{trigger}HYPERLINK("http://evil.example")'
    out = neutralise_cell(cell)
    for part in _split_every_way(out):
        assert not part.lstrip(' "').startswith(tuple(TRIGGERS)), (cell, out, part)


@pytest.mark.parametrize("cell", ['a; "=1+1"', "a;  =1+1", " =1+1", '"=1+1"'])
def test_spaces_and_quotes_before_the_formula_do_not_hide_it(cell):
    out = neutralise_cell(cell)
    for part in _split_every_way(out):
        assert not part.lstrip(' "').startswith(tuple(TRIGGERS)), (cell, out, part)


@pytest.mark.parametrize("cell", ["Bexley", "Theft from a person", "E01000353", "", "'=already"])
def test_ordinary_text_is_unchanged(cell):
    assert neutralise_cell(cell) == cell


def test_numbers_are_left_as_numbers():
    assert neutralise_cell(-5) == -5 and neutralise_cell(2.5) == 2.5


@pytest.mark.parametrize("separator", SEPARATORS)
def test_a_cell_that_is_not_text_is_neutralised_as_the_text_written(separator):
    """A dict or list (an audit event's payload) is written as its text: a formula a
    separator starts inside it is as live as in a string."""
    formula = f'x{separator}=HYPERLINK("http://evil.example")'
    for cell in ({"verb": formula}, [formula]):
        out = neutralise_cell(cell)
        assert isinstance(out, str) and "HYPERLINK" in out
        for part in _split_every_way(out):
            assert not part.lstrip(' "').startswith(tuple(TRIGGERS)), (cell, out, part)


def test_a_download_read_with_a_semicolon_as_the_field_break_has_no_formula():
    response = csv_response("x.csv", ["note"], [['ok;=HYPERLINK("http://evil.example","x")']])
    text = response.content.decode()
    for line in text.splitlines():
        for cell in csv.reader(io.StringIO(line), delimiter=";"):
            for part in cell:
                assert not part.lstrip(' "').startswith(tuple(TRIGGERS)), part


def _split_every_way(text):
    parts = [text]
    for separator in SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    # The first piece of the whole cell is protected by the leading apostrophe rule.
    return parts
