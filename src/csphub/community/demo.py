def load(stdout):
    """Demo records (see funding/demo.py)."""
