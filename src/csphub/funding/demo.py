def load(stdout):
    """Demo records."""
