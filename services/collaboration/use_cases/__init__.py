"""Collaboration's use cases, one module per aggregate; ``CollaborationApplication`` combines them."""
