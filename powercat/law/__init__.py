"""Legal basis: Chinese numerals, citation parsing, and the bundled law registry."""
