"""The public vocabulary of the natverk services: CloudEvents, payload models, topics.

Services import this package and never each other.
"""
