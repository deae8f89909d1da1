"""The audit verbs of documents (see csphub.audit.verbs).

A document attached to a case, or to a case's item on a meeting agenda, goes on the case's
timeline too. Every download is recorded, with the record the document belongs to; so is a file
refused because the virus scanner found something in it (the signature's name, no content).
"""

from __future__ import annotations

from csphub.audit.verbs import Verb

ATTACHED = Verb(
    "document.attached",
    "Document attached",
    timeline=True,
    template="{kind_label} attached",
)
DOWNLOADED = Verb("document.downloaded", "Downloaded a document")
VIEWED = Verb("document.viewed", "Viewed a document's details (or a form on it)")
REFUSED_INFECTED = Verb(
    "document.refused_infected", "Upload refused: the virus scanner found a threat in the file"
)
REMOVED = Verb("document.removed", "Document removed", timeline=True)
VIEW_REFUSED = Verb("document.view_refused", "Asked for a document they may not download (refused)")
