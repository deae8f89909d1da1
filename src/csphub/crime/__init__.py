"""Crime figures, hot spots and imports: the only app that talks to the crimestats package."""
