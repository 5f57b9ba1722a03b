"""Public outputs of the catalogue: spreadsheet, CSV, JSON with a data package, a static
site; and the internal filing register of withheld powers. Withheld (不予公开) powers
never reach a public output: `public_powers` is the only way in."""
