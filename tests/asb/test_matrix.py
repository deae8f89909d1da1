"""The victim risk assessment matrix: totals, bands and thresholds read from its data file."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from csphub.asb.matrix import MATRIX_FILE, current_matrix, load_matrix


def test_the_matrix_has_every_question_and_threshold_in_its_data_file():
    data = json.loads(MATRIX_FILE.read_text())
    matrix = current_matrix()
    assert [q.code for q in matrix.questions] == [q["code"] for q in data["questions"]]
    # 1+2+2+2+2+1+1+1+1+2+1+3, the weights in the file added by hand
    assert matrix.max_total == 19
    assert [(t.band, t.from_total) for t in matrix.thresholds] == [
        ("high", 11),
        ("medium", 6),
        ("standard", 0),
    ]


def test_no_yes_answers_is_standard_risk_with_a_total_of_nought():
    score = current_matrix().score({})
    assert (score.total, score.band, score.forced_high) == (0, "standard", False)


def test_a_total_just_below_and_at_the_medium_threshold():
    matrix = current_matrix()
    # repeat 1 + hate 2 + vulnerable 2 = 5: still standard
    assert matrix.score({"repeat": True, "hate": True, "vulnerable": True}).band == "standard"
    # ... + routine 1 = 6: medium
    six = matrix.score({"repeat": True, "hate": True, "vulnerable": True, "routine": True})
    assert (six.total, six.band, six.label) == (6, "medium", "Medium risk")


def test_a_total_at_the_high_threshold():
    # hate 2 + vulnerable 2 + health 2 + fear 2 + violence 2 + moving 1 = 11
    score = current_matrix().score(
        dict.fromkeys(["hate", "vulnerable", "health", "fear", "violence", "moving"], True)
    )
    assert (score.total, score.band) == (11, "high")


def test_thoughts_of_self_harm_make_the_risk_high_whatever_the_total():
    score = current_matrix().score({"self_harm": True})
    assert (score.total, score.band, score.forced_high) == (3, "high", True)


def test_an_answer_to_a_question_the_matrix_does_not_have_is_refused():
    with pytest.raises(ValueError, match="noise_level"):
        current_matrix().score({"noise_level": True})


def test_thresholds_are_data_a_changed_file_moves_the_bands(tmp_path):
    data = json.loads(MATRIX_FILE.read_text())
    data["thresholds"] = [
        {"band": "high", "label": "High risk", "from_total": 3},
        {"band": "standard", "label": "Standard risk", "from_total": 0},
    ]
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(data))
    matrix = load_matrix(path)
    assert matrix.score({"repeat": True, "hate": True}).band == "high"  # 1 + 2 = 3
    assert matrix.score({"hate": True}).band == "standard"


def test_a_broken_matrix_file_is_refused_naming_the_file(tmp_path):
    data = json.loads(MATRIX_FILE.read_text())
    data["thresholds"] = [{"band": "high", "label": "High risk", "from_total": 5}]
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ImproperlyConfigured, match=r"matrix\.json.*total of 0"):
        load_matrix(path)
    path.write_text("{not json")
    with pytest.raises(ImproperlyConfigured, match=r"matrix\.json"):
        load_matrix(path)
