"""Errors a user can cause. The message is Norwegian and says how to fix the problem."""


class AssistantError(Exception):
    """A user-facing error: the CLI prints the message and exits non-zero, the app shows it."""


class IndexMissing(AssistantError):
    pass


class EmbedderMismatch(AssistantError):
    pass


class UnreadableDocument(AssistantError):
    pass


class IndexDamaged(AssistantError):
    """A part of the index is missing or unreadable; `assistant ingest` repairs it."""


class InvalidQuestion(AssistantError):
    pass
