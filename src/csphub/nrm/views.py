"""NRM pages. Reads through selectors (404 outside them), writes through services."""
