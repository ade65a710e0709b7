"""Plot-structure detection: the paragraph model, its training, and sequence decoding."""
