"""References: one alphabet, one generator, a clash drawn again. The characters are scripted
(the random source is a parameter), so no test depends on chance."""

from collections.abc import Iterator
from datetime import date

import pytest
from django.apps import apps
from django.db import IntegrityError

from csphub.casereview.models import CaseReview
from csphub.core.models import ReferencedModel
from csphub.lib import references
from csphub.lib.references import (
    ALPHABET,
    ReferenceFormat,
    ReferencesExhausted,
    save_with_new_reference,
)
from csphub.panels.models import Case
from csphub.people.models import Person, Place


class Script:
    """A random source that draws the characters of each script in turn and checks that it is
    always asked to choose from the one alphabet."""

    def __init__(self, *draws: str) -> None:
        self._chars: Iterator[str] = iter("".join(draws))
        self.calls = 0

    def __call__(self, alphabet: str) -> str:
        assert alphabet == ALPHABET
        self.calls += 1
        return next(self._chars)


@pytest.fixture
def script(monkeypatch):
    def use(*draws: str) -> Script:
        source = Script(*draws)
        monkeypatch.setattr(references, "default_choice", source)
        return source

    return use


def test_the_alphabet_leaves_out_characters_people_confuse():
    assert set(ALPHABET).isdisjoint("0O1IL")
    assert ALPHABET == "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_a_format_draws_prefix_hyphen_and_its_length():
    assert ReferenceFormat("P", 5).generate(Script("7K3Q9")) == "P-7K3Q9"
    assert ReferenceFormat("CR", 6).generate(Script("7K3Q9P")) == "CR-7K3Q9P"
    for prefix, length in [("p", 5), ("", 5), ("P-", 5), ("P", 3), ("P", 9)]:
        with pytest.raises(ValueError, match="not a reference format"):
            ReferenceFormat(prefix, length)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "draw", "expected"),
    [
        (lambda: Person.objects.create(given_name="A", family_name="B"), "7K3Q9", "P-7K3Q9"),
        (lambda: Place.objects.create(name="Park", kind="park"), "7K3Q9", "L-7K3Q9"),
    ],
)
def test_people_and_places_take_references_from_the_one_generator(script, make, draw, expected):
    script(draw)
    assert make().reference == expected


@pytest.mark.django_db
def test_a_case_and_an_application_take_theirs_too(script, police, make_user):
    from csphub.casereview import services as casereview
    from tests.factories import PanelFactory

    script("CASE2")
    case = Case.objects.create(panel=PanelFactory(), owning_agency=police)
    assert case.reference == "C-CASE2"
    script("APPL22")
    review = casereview.do_create_case_review(
        actor=make_user("coordinator"),
        received_on=date(2025, 3, 3),
        applicant_name="Jean Applicant",
        problem_summary="Noise",
    )
    assert review.reference == "CR-APPL22"


@pytest.mark.django_db
def test_a_reference_already_taken_is_drawn_again(script):
    Place.objects.create(name="Park", kind="park", reference="L-22222")
    source = script("22222", "22222", "33333")
    place = Place.objects.create(name="School", kind="school")
    assert place.reference == "L-33333"
    assert source.calls == 15  # three draws of five: two refused by the unique index
    assert Place.objects.filter(reference="L-22222").count() == 1


@pytest.mark.django_db
def test_a_clash_found_only_by_the_database_is_drawn_again():
    # A save at the same moment took the reference after any check could have been made:
    # only the unique index knows. The first save fails on it, the second draw goes in.
    Place.objects.create(name="Park", kind="park", reference="L-22222")
    place = Place(name="School", kind="school")
    attempts = []

    def save():
        attempts.append(place.reference)
        place.save()

    save_with_new_reference(
        place,
        ReferenceFormat("L", 5),
        save,
        taken=lambda ref: Place.objects.filter(reference=ref).exists(),
        choose=Script("22222", "44444"),
    )
    assert attempts == ["L-22222", "L-44444"]
    assert Place.objects.get(pk=place.pk).reference == "L-44444"


@pytest.mark.django_db
def test_a_full_space_is_a_clear_error_not_a_loop(script):
    Place.objects.create(name="Park", kind="park", reference="L-22222")
    source = script("22222" * references.ATTEMPTS)
    with pytest.raises(ReferencesExhausted, match="20 L- references in a row were taken"):
        Place.objects.create(name="School", kind="school")
    assert source.calls == 5 * references.ATTEMPTS
    assert Place.objects.count() == 1


@pytest.mark.django_db
def test_another_constraint_failing_is_not_mistaken_for_a_clash(script):
    source = script("NEW22", "NEW33")
    # No policy: the row breaks its NOT NULL, not the reference's uniqueness. One draw only.
    with pytest.raises(IntegrityError):
        CaseReview.objects.create(
            received_on=date(2025, 3, 3), applicant_name="J", problem_summary="N"
        )
    assert source.calls == 6


@pytest.mark.django_db
def test_a_stored_reference_is_kept_on_saving_again(script):
    source = script()  # drawing anything would fail: the script is empty
    place = Place.objects.create(name="Park", kind="park", reference="L-22222")
    place.name = "Danson Park"
    place.save()
    assert Place.objects.get(pk=place.pk).reference == "L-22222"
    assert source.calls == 0


@pytest.mark.django_db
def test_references_made_with_the_old_application_alphabet_stay_valid(make_user):
    # Applications used to draw from an alphabet with L in it; those stay as they are.
    from csphub.casereview import services as casereview

    review = casereview.do_create_case_review(
        actor=make_user("coordinator"),
        received_on=date(2025, 3, 3),
        applicant_name="Jean Applicant",
        problem_summary="Noise",
    )
    CaseReview.objects.filter(pk=review.pk).update(reference="CR-LLAL22")
    review.refresh_from_db()
    review.save()
    assert CaseReview.objects.get(reference="CR-LLAL22").pk == review.pk


def test_every_model_with_a_reference_takes_it_from_the_one_generator():
    with_reference = [
        m for m in apps.get_models() if any(f.name == "reference" for f in m._meta.get_fields())
    ]
    assert {m.__name__ for m in with_reference} >= {"Person", "Place", "Case", "CaseReview"}
    for model in with_reference:
        assert issubclass(model, ReferencedModel), model
    prefixes = [m.reference_format.prefix for m in with_reference]
    assert len(prefixes) == len(set(prefixes)), prefixes
