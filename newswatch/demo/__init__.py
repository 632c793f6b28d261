"""A small news site served on 127.0.0.1: the engine (site.py) and the demo content."""
