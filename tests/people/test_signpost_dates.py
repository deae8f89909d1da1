"""The signpost search refuses a date of birth in the future, as every form does."""

from django.urls import reverse

from csphub.audit.models import AuditEvent


def test_a_date_of_birth_in_the_future_is_refused(client_for, world):
    response = client_for(world.outsider).post(
        reverse("people:signpost"),
        {"given_name": "Jayden", "family_name": "Okoro", "date_of_birth": "17/05/9999"},
    )
    assert response.status_code == 200
    assert "Date of birth must be today or in the past" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="person.signpost_searched").exists()
