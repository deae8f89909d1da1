"""csphub.lib's suppression and harm modules are crimestats' own, offered to the apps by name."""

import pytest

import crimestats.harm
import crimestats.suppression
from csphub.lib import harm, suppression


@pytest.mark.parametrize(
    ("offered", "implementation"),
    [(suppression, crimestats.suppression), (harm, crimestats.harm)],
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
