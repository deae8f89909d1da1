"""The audit verbs of crime data imports and downloads (see csphub.audit.verbs)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

DATA_IMPORTED = Verb("crime.data_imported", "Crime data imported")
DATA_IMPORT_REJECTED = Verb("crime.data_import_rejected", "Crime data import refused")
# Aggregate crime figures hold no personal data; their downloads are recorded all the same.
FIGURES_EXPORTED = Verb("crime.figures_exported", "Downloaded crime figures (CSV)")
HOTSPOTS_EXPORTED = Verb("crime.hotspots_exported", "Downloaded crime hot spots (CSV)")
