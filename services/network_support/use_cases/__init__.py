"""network_support's use cases, one module per aggregate, composed in ``application.py``."""
