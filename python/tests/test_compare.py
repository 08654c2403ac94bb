"""The comparison of golden cases is not vacuous."""

from conftest import compare


def test_equal_decimals_and_arrays_pass() -> None:
    assert compare({"a": "1.0", "b": [1, 2], "c": None}, {"a": "1.00", "b": [1, 2], "c": None, "z": 1}) == []


def test_differences_are_found() -> None:
    assert compare({"a": "1.01"}, {"a": "1.00"})
    assert compare({"b": [1]}, {"b": [1, 2]})
    assert compare({"c": None}, {"c": "0.00"})
    assert compare({"d": 1}, {})
    assert compare({"e": True}, {"e": 1})
    assert compare({"f": "x"}, {"f": "y"})
