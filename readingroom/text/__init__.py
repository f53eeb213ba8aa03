"""Pure text code, no models: cleaning imported text, anchoring spans through edits, and marking
spans up as HTML. Everything above builds on it; it imports nothing of Reading Room's."""
