"""Computations behind the lessons: every number on the site comes from here."""
