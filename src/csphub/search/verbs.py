"""The search app's audit verb (docs/adr/0011-one-event-registry.md)."""

from csphub.audit.verbs import Verb

SEARCHED = Verb("search.performed", "Searched cases, people, places and meetings")
