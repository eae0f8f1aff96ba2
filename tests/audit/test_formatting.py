"""An entry's changes read as words: field, before → after; facts as field: value."""

from pathways.audit.formatting import ChangeLine, change_lines, changes_text


def test_a_change_reads_as_before_and_after():
    assert change_lines({"full_name": ["Wren Worker", "Wren Walker"]}) == [
        ChangeLine("Full name", before="Wren Worker", after="Wren Walker", is_change=True)
    ]


def test_blanks_and_yes_no_values_are_spelled_out():
    lines = change_lines({"website": [None, "https://example.org"], "is_active": [True, False]})

    assert [str(line) for line in lines] == ["Website: (blank) → https://example.org", "Is active: Yes → No"]


def test_facts_and_nested_values_read_on_one_line():
    changes = {"rows": 12, "filters": {"from": "1 March 2026", "action": "Changed"}, "areas": ["Leeds", "York", "Hull"]}

    assert changes_text(changes) == (
        "Rows: 12; Filters: from: 1 March 2026; action: Changed; Areas: Leeds, York, Hull"
    )


def test_no_changes_read_as_nothing():
    assert change_lines({}) == []
    assert changes_text({}) == ""
