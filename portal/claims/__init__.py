"""Claims: a person proves they run a firm that staff or an import listed, and staff hand it over."""
