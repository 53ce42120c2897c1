"""What Corpus Reader knows: corpus parsing, the index, search, annotations (no Qt)."""

from reader.core import whoosh_imports

# Before any module here imports Whoosh: it then skips asyncio, urllib.request and the English
# morphology tables, which it imports and the app never calls (see whoosh_imports).
whoosh_imports.install()
