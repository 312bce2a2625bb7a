"""Optional generated answers through llama-index's LLM clients (off by default)."""

from __future__ import annotations


def make_generator(settings):
    return None
