"""csphub.lib's suppression, disclosure and harm modules are crimestats' own, offered by name."""

import pytest

import crimestats.disclosure
import crimestats.harm
import crimestats.suppression
from csphub.lib import disclosure, harm, suppression


@pytest.mark.parametrize(
    ("offered", "implementation"),
    [
        (suppression, crimestats.suppression),
        (disclosure, crimestats.disclosure),
        (harm, crimestats.harm),
    ],
)
def test_the_apps_name_is_the_one_implementation(offered, implementation):
    for name in offered.__all__:
        assert getattr(offered, name) is getattr(implementation, name), name
    defined_here = [
        name
        for name, value in vars(offered).items()
        if getattr(value, "__module__", None) == offered.__name__
    ]
    assert defined_here == []
