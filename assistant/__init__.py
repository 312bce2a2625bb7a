"""SLT-assistenten: a cited, Norwegian question-answering assistant over municipal SLT documents."""

__version__ = "0.1.0"
