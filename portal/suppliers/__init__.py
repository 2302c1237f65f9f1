"""Supplier firms: profiles, capabilities, certificates, the listing lifecycle and the directory."""
