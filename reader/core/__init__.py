"""What Corpus Reader knows: corpus parsing, the index, search, annotations (no Qt)."""
