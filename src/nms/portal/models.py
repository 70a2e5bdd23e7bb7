"""The public portal and what only it holds: innovation sites, professional communities, the
resource navigator, news."""
